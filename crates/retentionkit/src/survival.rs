//! Survival curves: Kaplan–Meier with right censoring and ties, its
//! Greenwood confidence band, median and restricted mean lifetime, and the
//! k-group log-rank test.
//!
//! Source: docs/metrics.md, "Survival curves: Kaplan–Meier and the log-rank
//! test", which has every formula with a worked example; the papers are named
//! at each function.
//!
//! Input is two plain columns of equal length: `durations` (finite, `>= 0`,
//! any time unit: days, weeks, months) and `observed` (`true` when the event,
//! for example churn, happened at that duration; `false` when the subject was
//! still alive then: right-censored). The numbers are those of lifelines'
//! `KaplanMeierFitter` and `multivariate_logrank_test` (checked to 1e-9 on
//! the fixture `tests/data/survival/`), which are R `survival`'s
//! `survfit(conf.type = "log-log")` and `survdiff` too.
//!
//! Ties: at a time with both events and censorings, the events come first
//! (the censored subjects are still at risk for those events), as in
//! lifelines and R.

pub mod aft;
pub mod cox;
mod log_rank;
mod table;

pub use log_rank::{log_rank, LogRank};

use std::collections::BTreeMap;

use crate::error::{check_length, check_non_negative, invalid_arg, Error, Result};
use crate::special::normal_quantile;
use table::{check_columns, tabulate, tabulate_sorted, Table};

/// Options of [`kaplan_meier_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KaplanMeierOptions {
    /// Two-sided confidence level of the band, in `(0, 1)`; default 0.95.
    pub confidence_level: f64,
}

with_setters!("survival", KaplanMeierOptions {
    with_confidence_level(confidence_level: f64) = (0.9 => 0.9),
});

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        Self {
            confidence_level: 0.95,
        }
    }
}

/// A Kaplan–Meier survival curve: one row per distinct duration (event or
/// censoring) in increasing order, as parallel columns.
///
/// Row `i` describes time `times[i]`: `at_risk[i]` subjects had a duration
/// `>= times[i]`, `events[i]` of them had the event and `censored[i]` were
/// censored at exactly `times[i]`; `survival[i]` is $\hat S(t)$ for
/// `times[i] <= t < times[i + 1]` (a right-continuous step function that is
/// 1 before `times[0]`).
///
/// Deserialization runs [`KaplanMeier::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "KaplanMeierRaw"))]
pub struct KaplanMeier {
    /// Distinct durations, increasing.
    pub times: Vec<f64>,
    /// Subjects at risk just before each time: $n_i = \\#\\{j : T_j \ge t_i\\}$.
    pub at_risk: Vec<u64>,
    /// Events at each time, $d_i$.
    pub events: Vec<u64>,
    /// Censorings at each time.
    pub censored: Vec<u64>,
    /// $\hat S(t_i) = \prod_{j \le i} (1 - d_j / n_j)$.
    pub survival: Vec<f64>,
    /// Greenwood's sum $\sum_{j \le i} d_j / (n_j (n_j - d_j))$, with the
    /// term of a step where $d_j = n_j$ taken as 0 (lifelines' convention);
    /// the variance of $\hat S$ is $\hat S^2$ times it.
    pub greenwood: Vec<f64>,
    /// Lower limit of the pointwise confidence band.
    pub lower: Vec<f64>,
    /// Upper limit of the pointwise confidence band.
    pub upper: Vec<f64>,
    /// The band's confidence level.
    pub confidence_level: f64,
}

checked_serde!(KaplanMeier by validate, KaplanMeierRaw {
    times: Vec<f64>,
    at_risk: Vec<u64>,
    events: Vec<u64>,
    censored: Vec<u64>,
    survival: Vec<f64>,
    greenwood: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    confidence_level: f64,
});

/// One row of [`KaplanMeier::at_risk_table`], the "number at risk" table
/// printed under survival plots.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AtRiskRow {
    /// The time asked for.
    pub time: f64,
    /// Subjects still under observation at `time` (duration `>= time`).
    pub at_risk: u64,
    /// Events at durations `<= time`, cumulative.
    pub events: u64,
    /// Censorings at durations `<= time`, cumulative.
    pub censored: u64,
}

/// The former name of [`AtRiskRow`], which [`crate::models::check::AtRisk`]
/// (an at-risk customer) also had.
#[deprecated(since = "0.1.0", note = "renamed `AtRiskRow`")]
pub type AtRisk = AtRiskRow;

/// Kaplan–Meier estimate of the survival curve with a 95 % band.
///
/// Same as [`kaplan_meier_with`] with [`KaplanMeierOptions::default`].
///
/// # Formula
/// $$ \hat S(t) = \prod_{t_i \le t} \Bigl(1 - \frac{d_i}{n_i}\Bigr) $$
/// $d_i$ events at time $t_i$, $n_i$ subjects at risk (duration $\ge t_i$).
/// Source: Kaplan & Meier (1958), JASA 53(282), eq. (2a).
///
/// # Errors
/// As [`kaplan_meier_with`].
///
/// # Examples
/// ```
/// use retentionkit::survival::kaplan_meier;
/// // Months until churn; `false` = still subscribed (censored).
/// let km = kaplan_meier(&[1.0, 2.0, 2.0, 3.0, 4.0], &[true, true, false, true, false])?;
/// assert_eq!(km.times, [1.0, 2.0, 3.0, 4.0]);
/// assert_eq!(km.at_risk, [5, 4, 2, 1]);
/// // S = 4/5, 4/5 · 3/4 = 3/5, 3/5 · 1/2 = 3/10, 3/10
/// assert!((km.survival[2] - 0.3).abs() < 1e-15);
/// assert_eq!(km.median(), Some(3.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kaplan_meier(durations: &[f64], observed: &[bool]) -> Result<KaplanMeier> {
    kaplan_meier_with(durations, observed, &KaplanMeierOptions::default())
}

/// Kaplan–Meier estimate of the survival curve with a band at a chosen level.
///
/// # Formula
/// $$ \hat S(t) = \prod_{t_i \le t} \Bigl(1 - \frac{d_i}{n_i}\Bigr), \qquad
///    \hat V(t) = \sum_{t_i \le t} \frac{d_i}{n_i (n_i - d_i)} $$
/// and the band on the log(−log) scale ("exponential Greenwood"),
/// $$ \hat S(t)^{\exp(\pm z\sqrt{\hat V(t)} / \ln \hat S(t))} $$
/// with $z = \Phi^{-1}((1 + \text{level}) / 2)$ (1.959963984540054 for 95 %).
/// Where $\hat S = 1$ (before the first event) the band is $[1, 1]$; where
/// $\hat S = 0$ (after the last subject at risk had the event) it is
/// $[0, 0]$: both are lifelines' values, and no NaN is ever returned.
/// Source: Kaplan & Meier (1958); Greenwood (1926); Kalbfleisch & Prentice
/// (2002), The Statistical Analysis of Failure Time Data, 2nd ed., section
/// 1.4 (the log(−log) band); lifelines `KaplanMeierFitter._bounds`.
///
/// Integer durations up to the number of rows + 4096 (days, weeks, months)
/// are tabulated by one counting pass instead of a sort.
///
/// # Errors
/// [`Error::Empty`] when there are no rows; [`Error::LengthMismatch`] when
/// `observed` is not as long as `durations`; [`Error::InvalidValue`] naming
/// column `durations` and the row of a NaN, infinite or negative duration;
/// [`Error::InvalidArgument`] when the confidence level is not in `(0, 1)`.
///
/// # Examples
/// ```
/// use retentionkit::survival::{kaplan_meier_with, KaplanMeierOptions};
/// let opts = KaplanMeierOptions::default().with_confidence_level(0.9);
/// let km = kaplan_meier_with(&[1.0, 2.0, 3.0], &[true, true, false], &opts)?;
/// assert!(km.lower[0] < km.survival[0] && km.survival[0] < km.upper[0]);
/// assert!(kaplan_meier_with(&[1.0], &[true], &KaplanMeierOptions::default().with_confidence_level(1.0)).is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kaplan_meier_with(
    durations: &[f64],
    observed: &[bool],
    options: &KaplanMeierOptions,
) -> Result<KaplanMeier> {
    let z = z_of(options.confidence_level)?;
    let table = tabulate(durations, observed)?;
    Ok(curve(&table, z, options.confidence_level))
}

/// One Kaplan–Meier curve (with a 95 % band) per group, groups in
/// increasing id order.
///
/// Same as [`kaplan_meier_by_group_with`] with [`KaplanMeierOptions::default`].
///
/// # Formula
/// [`kaplan_meier`] on the rows of each group.
/// Source: as [`kaplan_meier`].
///
/// # Errors
/// As [`kaplan_meier_by_group_with`].
///
/// # Examples
/// ```
/// use retentionkit::survival::kaplan_meier_by_group;
/// let by = kaplan_meier_by_group(&[1.0, 2.0, 3.0, 4.0], &[true, true, true, false], &[7, 3, 7, 3])?;
/// assert_eq!(by.iter().map(|(g, _)| *g).collect::<Vec<_>>(), [3, 7]);
/// assert_eq!(by[1].1.times, [1.0, 3.0]);
/// assert_eq!(by[1].1.survival, [0.5, 0.0]); // 1 − 1/2, then 1/2 · (1 − 1/1)
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kaplan_meier_by_group(
    durations: &[f64],
    observed: &[bool],
    groups: &[u64],
) -> Result<Vec<(u64, KaplanMeier)>> {
    kaplan_meier_by_group_with(durations, observed, groups, &KaplanMeierOptions::default())
}

/// One Kaplan–Meier curve per group at a chosen band level, groups in
/// increasing id order.
///
/// # Formula
/// [`kaplan_meier_with`] on the rows of each group.
/// Source: as [`kaplan_meier`].
///
/// # Errors
/// As [`kaplan_meier_with`], and [`Error::LengthMismatch`] when `groups`
/// is not as long as `durations`.
///
/// # Examples
/// ```
/// use retentionkit::survival::{kaplan_meier_by_group_with, KaplanMeierOptions};
/// let by = kaplan_meier_by_group_with(
///     &[1.0, 2.0, 3.0, 4.0], &[true, true, true, false], &[7, 3, 7, 3],
///     &KaplanMeierOptions::default().with_confidence_level(0.9),
/// )?;
/// assert_eq!(by.iter().map(|(g, _)| *g).collect::<Vec<_>>(), [3, 7]);
/// assert_eq!(by[0].1.survival, [0.5, 0.5]); // group 3: 1 − 1/2, then a censoring
/// assert_eq!(by[0].1.confidence_level, 0.9);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn kaplan_meier_by_group_with(
    durations: &[f64],
    observed: &[bool],
    groups: &[u64],
    options: &KaplanMeierOptions,
) -> Result<Vec<(u64, KaplanMeier)>> {
    let z = z_of(options.confidence_level)?;
    check_columns(durations, observed)?;
    check_length("groups", durations.len(), groups.len())?;
    let mut parts: BTreeMap<u64, Vec<(f64, bool)>> = BTreeMap::new();
    for ((&d, &o), &g) in durations.iter().zip(observed).zip(groups) {
        parts.entry(g).or_default().push((d, o));
    }
    Ok(parts
        .into_iter()
        .map(|(g, rows)| {
            (
                g,
                curve(&tabulate_sorted(rows), z, options.confidence_level),
            )
        })
        .collect())
}

impl KaplanMeier {
    /// The curve of an event table: the distinct times, increasing, with the
    /// events and censorings at each (the `times`, `events` and `censored`
    /// columns of a curve, or counts from elsewhere, such as a `GROUP BY` in
    /// a database). The numbers at risk, the curve, Greenwood's sum and the
    /// band follow exactly as [`kaplan_meier_with`] computes them, so the
    /// table of `kaplan_meier_with(d, o, options)` gives that curve back.
    ///
    /// # Formula
    /// As [`kaplan_meier_with`], with $n_i = \sum_{j \ge i} (d_j + c_j)$.
    /// Source: Kaplan & Meier (1958).
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows; [`Error::LengthMismatch`] when `events`
    /// or `censored` is not as long as `times`; [`Error::InvalidValue`]
    /// naming the row of a time that is NaN, infinite, negative or not above
    /// the one before, of a row with neither events nor censorings, or of
    /// the row where the subjects add up past `u64::MAX`;
    /// [`Error::InvalidArgument`] for a confidence level outside (0, 1).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::survival::{kaplan_meier, KaplanMeier, KaplanMeierOptions};
    /// let km = kaplan_meier(&[1.0, 2.0, 2.0, 3.0], &[true, true, false, false])?;
    /// let again = KaplanMeier::from_table(&km.times, &km.events, &km.censored, &KaplanMeierOptions::default())?;
    /// assert_eq!(again, km);
    /// // 4 at risk, one event at t = 1: S = 3/4; then 3 at risk, one event: S = 3/4 · 2/3.
    /// assert_eq!(again.survival, [0.75, 0.5, 0.5]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_table(
        times: &[f64],
        events: &[u64],
        censored: &[u64],
        options: &KaplanMeierOptions,
    ) -> Result<KaplanMeier> {
        let z = z_of(options.confidence_level)?;
        check_table(times, events, censored)?;
        let table: Table = times
            .iter()
            .zip(events)
            .zip(censored)
            .map(|((&t, &d), &c)| (t + 0.0, d, c)) // −0 becomes +0, as in `tabulate`
            .collect();
        Ok(curve(&table, z, options.confidence_level))
    }

    /// Check what the methods and [`merge`](Self::merge) rely on: the event
    /// table (`times`, `events`, `censored`) as [`from_table`](Self::from_table)
    /// takes it; `at_risk` counting down from all subjects by the events and
    /// censorings of each time; every other column one value per time; the
    /// confidence level in (0, 1). The curve's values themselves are not
    /// recomputed. Deserialization and [`merge`](Self::merge) run it.
    ///
    /// # Errors
    /// The errors of [`from_table`](Self::from_table);
    /// [`Error::LengthMismatch`] for a column of another length than
    /// `times`; [`Error::InvalidValue`] naming the first row of `at_risk`
    /// that does not follow from the table.
    pub fn validate(&self) -> Result<()> {
        z_of(self.confidence_level)?;
        let total = check_table(&self.times, &self.events, &self.censored)?;
        let n = self.times.len();
        for (column, len) in [
            ("at_risk", self.at_risk.len()),
            ("survival", self.survival.len()),
            ("greenwood", self.greenwood.len()),
            ("lower", self.lower.len()),
            ("upper", self.upper.len()),
        ] {
            check_length(column, n, len)?;
        }
        let mut left = total;
        for (row, ((&n_i, &d), &c)) in self
            .at_risk
            .iter()
            .zip(&self.events)
            .zip(&self.censored)
            .enumerate()
        {
            if n_i != left {
                return Err(Error::InvalidValue {
                    column: "at_risk",
                    row,
                    reason: format!(
                        "{n_i} at risk, but the table leaves {left} (all subjects less the events and censorings before)"
                    ),
                });
            }
            left -= d + c; // ok: check_table bounded the sum of all rows by `total`
        }
        Ok(())
    }

    /// Merge the curves of disjoint parts of one set of subjects (for
    /// example customer-disjoint partitions of a log) into the curve of all
    /// of them: the events and censorings at each time add up, and the
    /// numbers at risk, the curve, Greenwood's sum and the band follow from
    /// them exactly as [`kaplan_meier_with`] computes them. So
    /// `merge([km(a), km(b)]) == km(a ∪ b)`, bit for bit (property-tested).
    ///
    /// # Errors
    /// [`Error::Empty`] for no parts; [`Error::Incompatible`] when the parts
    /// have different confidence levels; the error of
    /// [`validate`](Self::validate) for a part that fails it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::survival::{kaplan_meier, KaplanMeier};
    /// let a = kaplan_meier(&[1.0, 2.0, 2.0], &[true, true, false])?;
    /// let b = kaplan_meier(&[3.0, 4.0], &[true, false])?;
    /// let all = kaplan_meier(&[1.0, 2.0, 2.0, 3.0, 4.0], &[true, true, false, true, false])?;
    /// assert_eq!(KaplanMeier::merge(&[a, b])?, all);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[KaplanMeier]) -> Result<KaplanMeier> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of Kaplan–Meier curves to merge",
        })?;
        for p in parts {
            p.validate()?;
        }
        let level = first.confidence_level;
        // Compared bit for bit: the same option value gives the same f64.
        if parts
            .iter()
            .any(|p| p.confidence_level.to_bits() != level.to_bits())
        {
            return Err(Error::Incompatible {
                reason: "Kaplan–Meier curves with different confidence levels".into(),
            });
        }
        let mut rows: Vec<(f64, u64, u64)> = parts
            .iter()
            .flat_map(|p| {
                p.times
                    .iter()
                    .zip(&p.events)
                    .zip(&p.censored)
                    .map(|((&t, &d), &c)| (t, d, c))
            })
            .collect();
        rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut table: Table = Vec::with_capacity(rows.len());
        for (t, d, c) in rows {
            match table.last_mut() {
                Some(last) if last.0 == t => {
                    last.1 += d;
                    last.2 += c;
                }
                _ => table.push((t, d, c)),
            }
        }
        Ok(curve(&table, z_of(level)?, level))
    }

    /// $\hat S(t)$: the step function, right-continuous (the value at a
    /// time already includes that time's events), 1 before the first time,
    /// the last value after the last time.
    ///
    /// # Formula
    /// $$ \hat S(t) = \prod_{t_i \le t} (1 - d_i / n_i) $$
    /// Source: Kaplan & Meier (1958).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `t` is NaN or negative.
    ///
    /// # Examples
    /// ```
    /// let km = retentionkit::survival::kaplan_meier(&[2.0, 4.0], &[true, true])?;
    /// assert_eq!(km.survival_at(1.9)?, 1.0);
    /// assert_eq!(km.survival_at(2.0)?, 0.5);
    /// assert_eq!(km.survival_at(f64::INFINITY)?, 0.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn survival_at(&self, t: f64) -> Result<f64> {
        if t.is_nan() || t < 0.0 {
            return Err(invalid_arg("t", format!("{t} must be a time >= 0")));
        }
        let i = self.times.partition_point(|&x| x <= t);
        Ok(match i.checked_sub(1) {
            Some(j) => self.survival.get(j).copied().unwrap_or(1.0),
            None => 1.0,
        })
    }

    /// Median survival time: the smallest time with $\hat S(t) \le 0.5$, or
    /// `None` when the curve stays above 0.5.
    ///
    /// # Formula
    /// $$ \hat t_{0.5} = \min\\{t_i : \hat S(t_i) \le 0.5\\} $$
    /// Source: lifelines `KaplanMeierFitter.median_survival_time_` (R's
    /// `survfit` takes the midpoint when $\hat S$ equals 0.5 exactly on a
    /// step; this crate follows lifelines).
    ///
    /// # Examples
    /// ```
    /// let km = retentionkit::survival::kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true; 4])?;
    /// assert_eq!(km.median(), Some(2.0)); // S(2) = 2/4 = 0.5
    /// let km = retentionkit::survival::kaplan_meier(&[1.0, 2.0, 3.0], &[true, false, false])?;
    /// assert_eq!(km.median(), None); // S stays at 2/3
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn median(&self) -> Option<f64> {
        self.survival
            .iter()
            .position(|&s| s <= 0.5)
            .and_then(|i| self.times.get(i).copied())
    }

    /// Restricted mean survival time: the area under the step curve on
    /// `[0, horizon]`.
    ///
    /// The horizon must lie within the data: beyond the last time the curve
    /// is known only when it has reached 0 (then it stays 0). lifelines'
    /// `restricted_mean_survival_time` and R's `print.survfit(rmean = τ)`
    /// hold a curve that ends above 0 at its last value instead, which
    /// makes the area grow with a horizon the data say nothing about; here
    /// that is an error.
    ///
    /// # Formula
    /// $$ \mathrm{RMST}(\tau) = \int_0^\tau \hat S(t)\\,dt
    ///    = \sum_{i \ge 0,\ t_i < \tau} \hat S(t_i)\\,(\min(t_{i+1}, \tau) - t_i) $$
    /// with $t_0 = 0$, $\hat S(t_0) = 1$ and $t_{m+1} = \infty$.
    /// Source: lifelines `utils.restricted_mean_survival_time`; Royston &
    /// Parmar (2013), BMC Med. Res. Methodol. 13:152.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `horizon` is NaN, infinite or
    /// negative, or beyond the last time while the curve is above 0 there.
    ///
    /// # Examples
    /// ```
    /// let km = retentionkit::survival::kaplan_meier(&[2.0, 5.0], &[true, false])?;
    /// // 1 on [0, 2), 1/2 on [2, 5]: 2 + 0.5 · 3 = 3.5
    /// assert_eq!(km.restricted_mean(5.0)?, 3.5);
    /// // After day 5 nobody is observed and S = 1/2: the area is unknown.
    /// assert!(km.restricted_mean(6.0).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn restricted_mean(&self, horizon: f64) -> Result<f64> {
        check_non_negative(horizon, "horizon")?;
        if let (Some(&last_t), Some(&last_s)) = (self.times.last(), self.survival.last()) {
            if horizon > last_t && last_s > 0.0 {
                return Err(invalid_arg(
                    "horizon",
                    format!(
                        "{horizon} is beyond the last observed time {last_t}, where the curve is still {last_s}"
                    ),
                ));
            }
        }
        let mut area = 0.0;
        let (mut prev_t, mut prev_s) = (0.0, 1.0);
        for (&t, &s) in self.times.iter().zip(&self.survival) {
            if t >= horizon {
                break;
            }
            area += prev_s * (t - prev_t);
            prev_t = t;
            prev_s = s;
        }
        Ok(area + prev_s * (horizon - prev_t))
    }

    /// The number-at-risk table at chosen times (for the rows under a plot).
    ///
    /// # Formula
    /// At time $t$: at risk $= \\#\\{j : T_j \ge t\\}$, events and censored
    /// = cumulative counts at durations $\le t$.
    /// Source: R `summary.survfit(times = …)` ("n.risk").
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming column `times` and the row of a NaN,
    /// infinite or negative time.
    ///
    /// # Examples
    /// ```
    /// let km = retentionkit::survival::kaplan_meier(&[1.0, 2.0, 2.0, 5.0], &[true, false, true, true])?;
    /// let t = km.at_risk_table(&[0.0, 2.0, 3.0])?;
    /// assert_eq!((t[1].at_risk, t[1].events, t[1].censored), (3, 2, 1));
    /// assert_eq!((t[2].at_risk, t[2].events, t[2].censored), (1, 2, 1));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn at_risk_table(&self, times: &[f64]) -> Result<Vec<AtRiskRow>> {
        let total = self.at_risk.first().copied().unwrap_or(0);
        let mut cum_events = Vec::with_capacity(self.times.len());
        let mut cum_censored = Vec::with_capacity(self.times.len());
        let (mut e, mut c) = (0_u64, 0_u64);
        for (&d, &k) in self.events.iter().zip(&self.censored) {
            e += d;
            c += k;
            cum_events.push(e);
            cum_censored.push(c);
        }
        times
            .iter()
            .enumerate()
            .map(|(row, &t)| {
                if !(t.is_finite() && t >= 0.0) {
                    return Err(Error::InvalidValue {
                        column: "times",
                        row,
                        reason: format!("{t} is not a finite time >= 0"),
                    });
                }
                // Rows with time < t have left the risk set; rows with time <= t are counted.
                let before = self.times.partition_point(|&x| x < t);
                let upto = self.times.partition_point(|&x| x <= t);
                let left = before
                    .checked_sub(1)
                    .map_or(0, |i| cum_events[i] + cum_censored[i]);
                let (events, censored) = upto
                    .checked_sub(1)
                    .map_or((0, 0), |i| (cum_events[i], cum_censored[i]));
                Ok(AtRiskRow {
                    time: t,
                    at_risk: total - left,
                    events,
                    censored,
                })
            })
            .collect()
    }
}

/// The checks of an event table: not empty; `events` and `censored` as long
/// as `times`; times finite, >= 0 and increasing; each row with an event or
/// a censoring; the subjects adding up to at most `u64::MAX`. Returns the
/// number of subjects.
fn check_table(times: &[f64], events: &[u64], censored: &[u64]) -> Result<u64> {
    if times.is_empty() {
        return Err(Error::Empty {
            what: "event table",
        });
    }
    check_length("events", times.len(), events.len())?;
    check_length("censored", times.len(), censored.len())?;
    let mut total: u64 = 0;
    for (row, ((&t, &d), &c)) in times.iter().zip(events).zip(censored).enumerate() {
        if !(t.is_finite() && t >= 0.0) || (row > 0 && times[row - 1] >= t) {
            return Err(Error::InvalidValue {
                column: "times",
                row,
                reason: format!("{t}: times must be finite, >= 0 and increasing"),
            });
        }
        if d == 0 && c == 0 {
            return Err(Error::InvalidValue {
                column: "events",
                row,
                reason: format!("time {t} has neither events nor censorings"),
            });
        }
        total = d
            .checked_add(c)
            .and_then(|n| total.checked_add(n))
            .ok_or_else(|| Error::InvalidValue {
                column: "events",
                row,
                reason: "the subjects up to this row add up past 2^64 - 1".into(),
            })?;
    }
    Ok(total)
}

/// The normal quantile of a two-sided confidence level.
fn z_of(level: f64) -> Result<f64> {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        Ok(normal_quantile(0.5 + 0.5 * level))
    } else {
        Err(invalid_arg(
            "confidence_level",
            format!("{level} must be strictly between 0 and 1"),
        ))
    }
}

/// The curve and its band from the table.
fn curve(table: &Table, z: f64, confidence_level: f64) -> KaplanMeier {
    let len = table.len();
    let mut km = KaplanMeier {
        times: Vec::with_capacity(len),
        at_risk: Vec::with_capacity(len),
        events: Vec::with_capacity(len),
        censored: Vec::with_capacity(len),
        survival: Vec::with_capacity(len),
        greenwood: Vec::with_capacity(len),
        lower: Vec::with_capacity(len),
        upper: Vec::with_capacity(len),
        confidence_level,
    };
    let mut n: u64 = table.iter().map(|r| r.1 + r.2).sum();
    let (mut s, mut g) = (1.0_f64, 0.0_f64);
    for &(t, d, c) in table {
        if d > 0 {
            let (df, nf) = (d as f64, n as f64);
            s *= (nf - df) / nf;
            if d < n {
                g += df / (nf * (nf - df));
            }
        }
        let (lo, hi) = band(s, g, z);
        km.times.push(t);
        km.at_risk.push(n);
        km.events.push(d);
        km.censored.push(c);
        km.survival.push(s);
        km.greenwood.push(g);
        km.lower.push(lo);
        km.upper.push(hi);
        n -= d + c;
    }
    km
}

/// The log(−log) band at one time, as lifelines computes it:
/// `exp(−exp(ln(−ln S) ∓ z √V / ln S))`.
fn band(s: f64, greenwood: f64, z: f64) -> (f64, f64) {
    if s >= 1.0 {
        return (1.0, 1.0);
    }
    if s <= 0.0 {
        return (0.0, 0.0);
    }
    let v = s.ln();
    let w = z * greenwood.sqrt() / v;
    let lower = (-((-v).ln() - w).exp()).exp();
    let upper = (-((-v).ln() + w).exp()).exp();
    (lower, upper)
}

#[cfg(test)]
mod tests;
