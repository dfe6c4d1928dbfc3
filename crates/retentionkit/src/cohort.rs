//! Acquisition cohorts, retention matrices and the average retention curve.
//!
//! Source: docs/metrics.md, "Acquisition cohorts and retention matrices".
//!
//! A customer's cohort is the period of their first purchase. Column `k` of
//! a cohort is the `k`-th period after it (0 = the acquisition period).
//! - *N-period* retention: customers of the cohort with an order in period `k`.
//! - *Unbounded* retention: customers with an order in period `k` or later.
//! - Revenue: the cohort's revenue in period `k`.
//! - *Bracket* retention ([`bracket_retention`]): customers with an order in
//!   any period of a custom range of columns (for example months 1–2, 3–5,
//!   6–11).
//!
//! Cells of periods after the observation end are absent (each row holds
//! only its observable columns), never zero. The period holding the
//! observation end may be only partly observed: [`CohortMatrix::last_period_complete`]
//! says so, and [`CohortMatrix::average_curve`] leaves it out.

mod brackets;

pub use brackets::{bracket_retention, BracketMatrix, MAX_BRACKETS};

use crate::error::{check_ascending, check_length, ratio, Error, Result};
use crate::log::TransactionLog;
use crate::period::{check_day, Granularity, PeriodTable};

/// Options of [`cohort_matrix`].
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
/// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
/// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
/// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
/// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
/// use retentionkit::period::Granularity;
/// let q = cohort_matrix(&log, &CohortOptions::default().with_granularity(Granularity::Quarter))?;
/// assert_eq!(q.sizes, [3]); // all three arrived in 1970-Q1
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CohortOptions {
    /// Period length of cohorts and columns. Default: month.
    pub granularity: Granularity,
    /// Last observed day (inclusive); rows after it are outside the
    /// observation window. Default: the last day of the log.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "crate::period::iso_day_option")
    )]
    pub observation_end: Option<i32>,
}

with_setters!("cohort", CohortOptions {
    with_granularity(granularity: Granularity) = (retentionkit::period::Granularity::Week => retentionkit::period::Granularity::Week),
    with_observation_end(observation_end: impl Into<Option<i32>>) = (10_134 => Some(10_134)),
});

/// Retention matrices of the acquisition cohorts of a log.
///
/// Deserialization runs [`CohortMatrix::validate`].
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
/// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
/// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
/// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
/// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
/// assert_eq!(m.labels, ["1970-01", "1970-02"]);
/// assert_eq!(m.sizes, [2, 1]);
/// assert_eq!(m.active, [vec![2, 1, 2], vec![1, 0]]); // Jan cohort: 1 back in Feb, both in Mar
/// assert!(!m.last_period_complete); // March is observed to the 17th
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CohortMatrixRaw"))]
pub struct CohortMatrix {
    /// Period length of cohorts and columns.
    pub granularity: Granularity,
    /// Last observed day (inclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// Whether the period holding the observation end is observed to its last day.
    pub last_period_complete: bool,
    /// Cohorts (period numbers, see [`Granularity::index`]), ascending; only
    /// periods that acquired at least one customer.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub cohorts: Vec<i32>,
    /// Human labels of the cohorts (`2023-06`, ...).
    pub labels: Vec<String>,
    /// Customers acquired in each cohort.
    pub sizes: Vec<u64>,
    /// N-period retention counts: `active[c][k]` customers of cohort `c`
    /// ordered in period `k` after acquisition. Row `c` holds the observable
    /// columns only.
    pub active: Vec<Vec<u64>>,
    /// Unbounded retention counts: customers of cohort `c` with an order in
    /// period `k` or any later observed period.
    pub unbounded: Vec<Vec<u64>>,
    /// Revenue of cohort `c` in period `k`; `None` without amounts.
    pub revenue: Option<Vec<Vec<f64>>>,
}

checked_serde!(CohortMatrix by validate, CohortMatrixRaw {
    granularity: Granularity,
    #[serde(with = "crate::period::iso_day")]
    observation_end: i32,
    last_period_complete: bool,
    #[serde(with = "crate::period::iso_days")]
    cohorts: Vec<i32>,
    labels: Vec<String>,
    sizes: Vec<u64>,
    active: Vec<Vec<u64>>,
    unbounded: Vec<Vec<u64>>,
    revenue: Option<Vec<Vec<f64>>>,
});

/// The checks of the rows shared by [`CohortMatrix::validate`] and
/// [`BracketMatrix::validate`]: the observation end is a supported day and
/// `last_period_complete` says whether it ends its period; one label and
/// one size per cohort; cohorts ascending, each once, none after the
/// observation end's period. Returns, per cohort, the number of observed
/// columns (periods from the cohort's to the observation end's, inclusive).
fn check_cohort_rows(
    granularity: Granularity,
    observation_end: i32,
    last_period_complete: bool,
    cohorts: &[i32],
    (labels, sizes): (usize, usize),
) -> Result<Vec<usize>> {
    check_day(observation_end, "observation_end")?;
    let last = granularity.index(observation_end);
    let complete = granularity.period_of_index(last)?.end == observation_end + 1;
    if complete != last_period_complete {
        return Err(Error::InvalidArgument {
            name: "last_period_complete",
            reason: format!(
                "is {last_period_complete}, but the observation end {} {} the last day of its period",
                crate::period::format_day(observation_end),
                if complete { "is" } else { "is not" }
            ),
        });
    }
    let n = cohorts.len();
    check_length("labels", n, labels)?;
    check_length("sizes", n, sizes)?;
    check_ascending("cohorts", cohorts)?;
    cohorts
        .iter()
        .enumerate()
        .map(|(row, &c)| {
            usize::try_from(i64::from(last) - i64::from(c) + 1)
                .ok()
                .filter(|&k| k <= MAX_PERIODS)
                .ok_or_else(|| Error::InvalidValue {
                    column: "cohorts",
                    row,
                    reason: format!(
                        "cohort {c} is after the observation end's period {last} or more than {MAX_PERIODS} periods before it"
                    ),
                })
        })
        .collect()
}

/// `Ok` when every row of `rows` has the length `widths` gives for it, else
/// [`Error::InvalidValue`] naming `column` and the first row that has not.
fn check_row_widths<T>(column: &'static str, rows: &[Vec<T>], widths: &[usize]) -> Result<()> {
    check_length(column, widths.len(), rows.len())?;
    match rows.iter().zip(widths).position(|(r, &w)| r.len() != w) {
        None => Ok(()),
        Some(row) => Err(Error::InvalidValue {
            column,
            row,
            reason: format!(
                "the row has {} columns, expected {} (the observed ones of its cohort)",
                rows[row].len(),
                widths[row]
            ),
        }),
    }
}

/// Which retention matrix to read.
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
/// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
/// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
/// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
/// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
/// assert_eq!(m.fractions(RetentionKind::NPeriod)[0], [1.0, 0.5, 1.0]);
/// assert_eq!(m.fractions(RetentionKind::Unbounded)[0], [1.0, 1.0, 1.0]); // both back in Feb or later
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RetentionKind {
    /// Active in exactly period `k`.
    NPeriod,
    /// Active in period `k` or later.
    Unbounded,
}

/// The largest number of periods a cohort matrix may span: ten years of
/// days. The triangular matrix then has 6.7·10⁶ cells of 8 bytes, kept three
/// times (active, unbounded, revenue) per worker thread; use a coarser
/// granularity for longer logs.
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{cohort_matrix, CohortOptions, MAX_PERIODS}, period::Granularity, TransactionLog};
/// assert_eq!(MAX_PERIODS, 3_660);
/// // 4,000 days of daily cohorts is too many; monthly is fine.
/// let log = TransactionLog::new(&[1, 1], &[0, 4_000], None)?;
/// assert!(cohort_matrix(&log, &CohortOptions::default().with_granularity(Granularity::Day)).is_err());
/// assert!(cohort_matrix(&log, &CohortOptions::default()).is_ok());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub const MAX_PERIODS: usize = 3_660;

/// The periods a cohort table spans: from the log's first period to the one
/// holding the observation end.
struct Span {
    g: Granularity,
    /// The observation end (inclusive day).
    end: i32,
    /// Index of the first period.
    p0: i32,
    /// Number of periods, at most [`MAX_PERIODS`].
    np: usize,
    /// Whether the observation end is the last day of its period.
    last_period_complete: bool,
    /// Day -> period index over the span.
    table: PeriodTable,
}

impl Span {
    fn new(log: &TransactionLog<'_>, options: &CohortOptions) -> Result<Self> {
        let g = options.granularity;
        let end = log.observation_end(options.observation_end)?;
        let p0 = g.index(log.first_day());
        let p_last = g.index(end);
        let np = usize::try_from(p_last - p0 + 1).unwrap_or(usize::MAX);
        if np > MAX_PERIODS {
            return Err(Error::TooLarge {
                what: "periods spanned by the cohort matrix",
                got: np,
                max: MAX_PERIODS,
            });
        }
        Ok(Span {
            g,
            end,
            p0,
            np,
            last_period_complete: g.period_of_index(p_last)?.end == end + 1,
            table: PeriodTable::new(g, log.first_day(), end),
        })
    }
}

/// Build the cohort retention matrices of a log in one pass.
///
/// # Errors
/// [`Error::InvalidArgument`] when the observation end is before the first
/// purchase; [`Error::TooLarge`] when the log spans more than [`MAX_PERIODS`] periods.
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{cohort_matrix, CohortOptions}, period::day, TransactionLog};
/// // January cohort: customers 1 and 2; customer 1 comes back in March.
/// // February cohort: customer 3, back in March.
/// let ids = [1, 2, 3, 1, 3];
/// let days = [day(2024, 1, 2)?, day(2024, 1, 5)?, day(2024, 2, 7)?, day(2024, 3, 1)?, day(2024, 3, 31)?];
/// let log = TransactionLog::new(&ids, &days, None)?;
/// let m = cohort_matrix(&log, &CohortOptions::default())?;
/// assert_eq!(m.labels, ["2024-01", "2024-02"]);
/// assert_eq!(m.active, [vec![2, 0, 1], vec![1, 1]]);   // later cells absent
/// assert_eq!(m.unbounded, [vec![2, 1, 1], vec![1, 1]]);
/// assert_eq!(m.fractions(retentionkit::cohort::RetentionKind::NPeriod)[0], [1.0, 0.0, 0.5]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn cohort_matrix(log: &TransactionLog<'_>, options: &CohortOptions) -> Result<CohortMatrix> {
    let Span {
        g,
        end,
        p0,
        np,
        last_period_complete,
        table,
    } = Span::new(log, options)?;
    // Triangular storage: cohort c has np − c columns.
    let row_start: Vec<usize> = (0..=np)
        .map(|c| c * np - c * c.saturating_sub(1) / 2)
        .collect();
    let cells = row_start[np];
    let rows = log.rows_before(end.saturating_add(1));
    let with_revenue = log.has_amounts();
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        // Per customer: cohort offset and last active period offset
        // (u16::MAX = none; np <= MAX_PERIODS < u16::MAX). Four bytes a
        // customer keep the state of millions of customers in the cache.
        let mut st = vec![(u16::MAX, u16::MAX); part.slots.len()];
        let mut active = vec![0u64; cells];
        let mut revenue = vec![0f64; if with_revenue { cells } else { 0 }];
        part.visit(&mut st, |c, d, a| {
            let p = u16::try_from(table.get(d) - p0).unwrap_or(0); // ok: 0 <= period of d − p0 < MAX_PERIODS
            if c.0 == u16::MAX {
                c.0 = p;
            }
            let cell = row_start[c.0 as usize] + usize::from(p - c.0);
            // Branch-free: whether this order opens a new period is unpredictable.
            active[cell] += u64::from(c.1 != p);
            c.1 = p;
            if with_revenue {
                revenue[cell] += a;
            }
        });
        // Unbounded: histogram of the last active column per cohort.
        let mut last_k = vec![0u64; cells];
        for &(c, l) in &st {
            if c != u16::MAX {
                last_k[row_start[c as usize] + (l - c) as usize] += 1;
            }
        }
        (active, revenue, last_k)
    });
    let (mut active, mut revenue, mut last_k) = (
        vec![0u64; cells],
        vec![0f64; if with_revenue { cells } else { 0 }],
        vec![0u64; cells],
    );
    for (a, r, l) in parts {
        active.iter_mut().zip(&a).for_each(|(x, y)| *x += y);
        revenue.iter_mut().zip(&r).for_each(|(x, y)| *x += y);
        last_k.iter_mut().zip(&l).for_each(|(x, y)| *x += y);
    }
    let mut m = CohortMatrix {
        granularity: g,
        observation_end: end,
        last_period_complete,
        cohorts: Vec::new(),
        labels: Vec::new(),
        sizes: Vec::new(),
        active: Vec::new(),
        unbounded: Vec::new(),
        revenue: with_revenue.then(Vec::new),
    };
    for c in 0..np {
        let (lo, hi) = (row_start[c], row_start[c + 1]);
        let size = active[lo];
        if size == 0 {
            continue;
        }
        let index = p0 + i32::try_from(c).unwrap_or(0); // ok: c < MAX_PERIODS
        m.cohorts.push(index);
        m.labels.push(g.label(index));
        m.sizes.push(size);
        m.active.push(active[lo..hi].to_vec());
        let mut run = 0;
        let mut unb: Vec<u64> = last_k[lo..hi]
            .iter()
            .rev()
            .map(|&n| {
                run += n;
                run
            })
            .collect();
        unb.reverse();
        m.unbounded.push(unb);
        if let Some(r) = m.revenue.as_mut() {
            r.push(revenue[lo..hi].to_vec());
        }
    }
    Ok(m)
}

impl CohortMatrix {
    /// Check the shape the methods and [`merge`](Self::merge) rely on: one
    /// label, size and row of each matrix per cohort; cohorts ascending,
    /// each once; each row as long as its cohort's observed periods (the
    /// periods from the cohort's to the observation end's, inclusive);
    /// `last_period_complete` true exactly when the observation end is the
    /// last day of its period. [`cohort_matrix`] always returns a valid
    /// matrix; deserialization and [`merge`](Self::merge) run this check.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for a column with another number of rows
    /// than `cohorts`; [`Error::InvalidValue`] naming the first cohort out of
    /// order or range, or the first row of the wrong width;
    /// [`Error::InvalidArgument`] for the observation end or
    /// `last_period_complete`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// let mut bad = m.clone();
    /// assert!(bad.validate().is_ok());
    /// bad.active[1].push(1); // the February cohort cannot have three periods by 17 March
    /// assert!(bad.validate().is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let widths = check_cohort_rows(
            self.granularity,
            self.observation_end,
            self.last_period_complete,
            &self.cohorts,
            (self.labels.len(), self.sizes.len()),
        )?;
        check_row_widths("active", &self.active, &widths)?;
        check_row_widths("unbounded", &self.unbounded, &widths)?;
        self.revenue
            .as_ref()
            .map_or(Ok(()), |r| check_row_widths("revenue", r, &widths))
    }

    /// The counts of one kind.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// assert_eq!(m.counts(RetentionKind::Unbounded)[0], [2, 2, 2]);
    /// assert_eq!(m.counts(RetentionKind::NPeriod), &m.active[..]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn counts(&self, kind: RetentionKind) -> &[Vec<u64>] {
        match kind {
            RetentionKind::NPeriod => &self.active,
            RetentionKind::Unbounded => &self.unbounded,
        }
    }

    /// Counts as fractions of the cohort size (row `c` divided by `sizes[c]`).
    ///
    /// # Formula
    /// $$ r_{c,k} = \frac{n_{c,k}}{n_{c,0}} $$
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// assert_eq!(m.fractions(RetentionKind::NPeriod), [vec![1.0, 0.5, 1.0], vec![1.0, 0.0]]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn fractions(&self, kind: RetentionKind) -> Vec<Vec<f64>> {
        self.counts(kind)
            .iter()
            .zip(&self.sizes)
            .map(|(row, &n)| row.iter().map(|&x| x as f64 / n as f64).collect())
            .collect()
    }

    /// Whether the cell `(c, k)` lies in the partly observed last period.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// assert!(m.is_partial(0, 2) && m.is_partial(1, 1)); // March
    /// assert!(!m.is_partial(0, 1)); // February
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_partial(&self, cohort: usize, k: usize) -> bool {
        !self.last_period_complete
            && self
                .active
                .get(cohort)
                .is_some_and(|row| k + 1 == row.len())
    }

    /// Size-weighted average retention curve over the cohorts that observe
    /// period `k` to its end.
    ///
    /// # Formula
    /// $$ \bar r_k = \frac{\sum_{c \in C_k} n_{c,k}}{\sum_{c \in C_k} n_{c,0}} $$
    /// $C_k$: cohorts whose period $k$ ends on or before the observation end.
    /// Source: docs/metrics.md, "Acquisition cohorts and retention matrices".
    /// The curve stops at the last `k` some cohort fully observes (it is empty
    /// when only the partly observed acquisition period exists).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// // k = 1: only January's cohort has a complete next month: 1 of 2.
    /// // k = 2 falls in the partial March for every cohort: the curve stops.
    /// assert_eq!(m.average_curve(RetentionKind::NPeriod), [1.0, 0.5]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn average_curve(&self, kind: RetentionKind) -> Vec<f64> {
        let counts = self.counts(kind);
        let width = counts.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::with_capacity(width);
        for k in 0..width {
            let (mut num, mut den) = (0u64, 0u64);
            for (c, row) in counts.iter().enumerate() {
                if k < row.len() && !self.is_partial(c, k) {
                    num += row[k];
                    den += self.sizes[c];
                }
            }
            if den == 0 {
                break;
            }
            out.push(num as f64 / den as f64);
        }
        out
    }

    /// Revenue retention: revenue of the cohort in period `k` over its
    /// revenue in period 0. A cohort whose period-0 revenue is zero, or so
    /// small that a later period's revenue over it overflows `f64` (period 0
    /// spent 5e-324, period 1 spent 1: a ratio of 2e323), has no defined
    /// ratio: its row is `None`, never a row holding `inf`.
    ///
    /// # Formula
    /// $$ \rho_{c,k} = \frac{\mathrm{rev}\_{c,k}}{\mathrm{rev}\_{c,0}} $$
    /// Source: docs/metrics.md, "Acquisition cohorts and retention matrices".
    ///
    /// # Errors
    /// [`Error::MissingColumn`] when the log had no amounts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// // January's cohort: 40 in January, 20 in February, 20 in March.
    /// assert_eq!(m.revenue_retention()?, [Some(vec![1.0, 0.5, 0.5]), Some(vec![1.0, 0.0])]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn revenue_retention(&self) -> Result<Vec<Option<Vec<f64>>>> {
        let rev = self.revenue.as_ref().ok_or(Error::MissingColumn {
            column: "amount",
            needed_for: "revenue retention",
        })?;
        Ok(rev
            .iter()
            .map(|row| {
                let base = row.first().copied().unwrap_or(0.0);
                row.iter()
                    .map(|&x| {
                        ratio(x, base, "cohort revenue in period 0")
                            .ok()
                            .filter(|r| r.is_finite())
                    })
                    .collect()
            })
            .collect())
    }

    /// Merge matrices of customer-disjoint parts of one log (same
    /// granularity and observation end) by adding their counts.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the settings differ; [`Error::Empty`] for
    /// no parts; the error of [`validate`](Self::validate) for a part that
    /// fails it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{cohort::{cohort_matrix, CohortOptions, RetentionKind}, TransactionLog};
    /// // January 1970: customers 1 (day 0) and 2 (day 5); February: customer 3 (day 45).
    /// // Customer 1 returns on days 40 (Feb) and 70 (Mar), customer 2 on day 75 (Mar).
    /// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 2], &[0, 5, 40, 45, 70, 75],
    ///     Some(&[10.0, 30.0, 20.0, 8.0, 5.0, 15.0]))?;
    /// let m = cohort_matrix(&log, &CohortOptions::default())?; // monthly, observed to day 75 (17 Mar)
    /// use retentionkit::cohort::CohortMatrix;
    /// // Partitioned by customer and observed to the same day, the matrices add up.
    /// let o = CohortOptions::default().with_observation_end(75);
    /// let a = TransactionLog::new(&[1, 1, 3, 1], &[0, 40, 45, 70], Some(&[10.0, 20.0, 8.0, 5.0]))?;
    /// let b = TransactionLog::new(&[2, 2], &[5, 75], Some(&[30.0, 15.0]))?;
    /// assert_eq!(CohortMatrix::merge(&[cohort_matrix(&a, &o)?, cohort_matrix(&b, &o)?])?, m);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[CohortMatrix]) -> Result<CohortMatrix> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of cohort matrices to merge",
        })?;
        for p in parts {
            p.validate()?;
        }
        if parts.iter().any(|p| {
            p.granularity != first.granularity
                || p.observation_end != first.observation_end
                || p.revenue.is_some() != first.revenue.is_some()
        }) {
            return Err(Error::Incompatible {
                reason: "cohort matrices differ in granularity, observation end or amounts".into(),
            });
        }
        let all = rows_by_cohort(parts.iter().map(|p| p.cohorts.as_slice()));
        let mut out = CohortMatrix {
            cohorts: Vec::new(),
            labels: Vec::new(),
            sizes: Vec::new(),
            active: Vec::new(),
            unbounded: Vec::new(),
            revenue: first.revenue.as_ref().map(|_| Vec::new()),
            ..first.clone()
        };
        for (c, pi, r) in all {
            let p = &parts[pi];
            if out.cohorts.last() != Some(&c) {
                out.cohorts.push(c);
                out.labels.push(p.labels[r].clone());
                out.sizes.push(0);
                out.active.push(vec![0; p.active[r].len()]);
                out.unbounded.push(vec![0; p.unbounded[r].len()]);
                if let Some(rev) = out.revenue.as_mut() {
                    rev.push(vec![0.0; p.active[r].len()]);
                }
            }
            let i = out.cohorts.len() - 1;
            out.sizes[i] += p.sizes[r];
            out.active[i]
                .iter_mut()
                .zip(&p.active[r])
                .for_each(|(x, y)| *x += y);
            out.unbounded[i]
                .iter_mut()
                .zip(&p.unbounded[r])
                .for_each(|(x, y)| *x += y);
            if let (Some(o), Some(pr)) = (out.revenue.as_mut(), p.revenue.as_ref()) {
                o[i].iter_mut().zip(&pr[r]).for_each(|(x, y)| *x += y);
            }
        }
        Ok(out)
    }
}

/// The rows of all parts as (cohort, part, row), ordered by cohort.
fn rows_by_cohort<'a>(cohorts: impl Iterator<Item = &'a [i32]>) -> Vec<(i32, usize, usize)> {
    let mut all: Vec<(i32, usize, usize)> = cohorts
        .enumerate()
        .flat_map(|(pi, cs)| cs.iter().enumerate().map(move |(r, &c)| (c, pi, r)))
        .collect();
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests;
