//! Survey scores: Net Promoter Score and customer satisfaction (CSAT),
//! overall, per calendar period and per acquisition cohort, so they line up
//! with the retention numbers of [`crate::kpi`] and [`crate::cohort`].
//!
//! Responses are columns: the score of each response, the day it was given
//! and, for cohort views, the customer who gave it. [`SurveyLog::new`]
//! validates them once; a score outside its scale is an error naming the row.
//!
//! | scale | scores | positive | neutral | negative | value |
//! |---|---|---|---|---|---|
//! | [`Scale::Nps`] | 0–10 | 9–10 (promoters) | 7–8 (passives) | 0–6 (detractors) | 100 × (positive − negative) / n, in −100..100 |
//! | [`Scale::Csat`] | 1–`max` | `satisfied_from`–`max` | – | the rest | positive / n, in 0..1 |
//! | [`Scale::Thumbs`] | 0 (down), 1 (up) | 1 | – | 0 | positive / n, in 0..1 |
//!
//! Source: docs/metrics.md, "Survey scores: NPS and CSAT";
//! Reichheld, F. F. (2003), "The One Number You Need to Grow", Harvard
//! Business Review 81(12) for the NPS buckets.

use crate::error::{invalid_arg, Error, Result};
use crate::log::TransactionLog;
use crate::period::{check_day, Granularity, Period};
use crate::summary::{summary, SummaryOptions};

/// z-quantile of the standard normal for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The answer scale of a survey.
///
/// # Examples
/// ```
/// use retentionkit::survey::{Scale, SurveyLog};
/// let days = [0, 0, 0, 0];
/// let csat = SurveyLog::new(None, &days, &[5, 4, 3, 2], Scale::Csat { max: 5, satisfied_from: 4 })?;
/// assert_eq!(csat.score().value, 0.5); // 2 of 4 scored 4 or 5
/// let thumbs = SurveyLog::new(None, &days, &[1, 0, 1, 1], Scale::Thumbs)?;
/// assert_eq!(thumbs.score().value, 0.75);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Scale {
    /// "How likely are you to recommend us?", 0–10.
    Nps,
    /// Satisfaction from 1 to `max`; scores of `satisfied_from` or more count
    /// as satisfied.
    Csat {
        /// Highest score of the scale (5 for the usual 1–5 scale).
        max: u8,
        /// Lowest satisfied score (4 for the usual "4 or 5 of 5").
        satisfied_from: u8,
    },
    /// Thumbs up (1) or down (0).
    Thumbs,
}

impl Scale {
    /// The usual CSAT scale: 1–5, satisfied = 4 or 5.
    pub const CSAT_5: Scale = Scale::Csat {
        max: 5,
        satisfied_from: 4,
    };

    fn check(self) -> Result<()> {
        match self {
            Scale::Csat {
                max,
                satisfied_from,
            } if max < 2 || satisfied_from < 1 || satisfied_from > max => Err(invalid_arg(
                "scale",
                format!(
                    "CSAT needs 2 <= max and 1 <= satisfied_from <= max, got max {max}, satisfied_from {satisfied_from}"
                ),
            )),
            _ => Ok(()),
        }
    }

    fn range(self) -> (u8, u8) {
        match self {
            Scale::Nps => (0, 10),
            Scale::Csat { max, .. } => (1, max),
            Scale::Thumbs => (0, 1),
        }
    }

    /// +1 for a positive response, 0 neutral, −1 negative.
    fn class(self, score: u8) -> i8 {
        match self {
            Scale::Nps => match score {
                9.. => 1,
                7 | 8 => 0,
                _ => -1,
            },
            Scale::Csat { satisfied_from, .. } => {
                if score >= satisfied_from {
                    1
                } else {
                    -1
                }
            }
            Scale::Thumbs => {
                if score == 1 {
                    1
                } else {
                    -1
                }
            }
        }
    }
}

/// Validated survey responses.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, survey::{Scale, SurveyLog}};
/// let days = [day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 1, 20)?, day(2024, 3, 2)?, day(2024, 3, 8)?];
/// // Three promoters (9–10), one passive (7–8), one detractor (0–6).
/// let log = SurveyLog::new(None, &days, &[10, 9, 7, 3, 10], Scale::Nps)?;
/// assert_eq!(log.score().value, 40.0); // (3 − 1) / 5 × 100
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SurveyLog<'a> {
    ids: Option<&'a [u64]>,
    days: &'a [i32],
    scores: &'a [u8],
    scale: Scale,
}

impl<'a> SurveyLog<'a> {
    /// Check and wrap survey columns: `days` (days since 1970-01-01) and
    /// `scores` of each response, and optionally the responding customer's id
    /// (needed only for [`SurveyLog::by_cohort`]).
    ///
    /// # Errors
    /// - [`Error::Empty`] when there are no responses;
    /// - [`Error::LengthMismatch`] when the columns differ in length;
    /// - [`Error::InvalidValue`] naming the first row whose score is outside
    ///   the scale or whose day is outside the supported dates;
    /// - [`Error::InvalidArgument`] for an inconsistent [`Scale::Csat`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::survey::{Scale, SurveyLog};
    /// let days = [19_000, 19_000, 19_001];
    /// let err = SurveyLog::new(None, &days, &[10, 11, 3], Scale::Nps).unwrap_err();
    /// assert_eq!(err.to_string(), "column `score`, row 1: 11 is outside the scale 0..=10");
    /// ```
    pub fn new(
        ids: Option<&'a [u64]>,
        days: &'a [i32],
        scores: &'a [u8],
        scale: Scale,
    ) -> Result<Self> {
        scale.check()?;
        if scores.is_empty() {
            return Err(Error::Empty {
                what: "survey responses",
            });
        }
        for (column, len) in [("day", days.len())]
            .into_iter()
            .chain(ids.map(|i| ("customer_id", i.len())))
        {
            if len != scores.len() {
                return Err(Error::LengthMismatch {
                    column,
                    expected: scores.len(),
                    got: len,
                });
            }
        }
        let (lo, hi) = scale.range();
        if let Some(row) = scores.iter().position(|s| !(lo..=hi).contains(s)) {
            return Err(Error::InvalidValue {
                column: "score",
                row,
                reason: format!("{} is outside the scale {lo}..={hi}", scores[row]),
            });
        }
        for (row, &d) in days.iter().enumerate() {
            if let Err(Error::InvalidArgument { reason, .. }) = check_day(d, "day") {
                return Err(Error::InvalidValue {
                    column: "day",
                    row,
                    reason,
                });
            }
        }
        Ok(Self {
            ids,
            days,
            scores,
            scale,
        })
    }

    /// Number of responses.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::day, survey::{Scale, SurveyLog}};
    /// let days = [day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 1, 20)?, day(2024, 3, 2)?, day(2024, 3, 8)?];
    /// // Three promoters (9–10), one passive (7–8), one detractor (0–6).
    /// let log = SurveyLog::new(None, &days, &[10, 9, 7, 3, 10], Scale::Nps)?;
    /// assert_eq!(log.len(), 5);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// Always `false`: a survey log holds at least one response.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::day, survey::{Scale, SurveyLog}};
    /// let days = [day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 1, 20)?, day(2024, 3, 2)?, day(2024, 3, 8)?];
    /// // Three promoters (9–10), one passive (7–8), one detractor (0–6).
    /// let log = SurveyLog::new(None, &days, &[10, 9, 7, 3, 10], Scale::Nps)?;
    /// assert!(!log.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The score of all responses.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::survey::{Scale, SurveyLog};
    /// // 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0..=6) of 10.
    /// let scores = [10, 9, 9, 10, 9, 7, 8, 8, 3, 6];
    /// let s = SurveyLog::new(None, &[19_000; 10], &scores, Scale::Nps)?.score();
    /// assert_eq!((s.positive, s.neutral, s.negative), (5, 3, 2));
    /// assert!((s.value - 30.0).abs() < 1e-12); // 100 × (5 − 2) / 10
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn score(&self) -> Score {
        let mut c = Counts::default();
        for &s in self.scores {
            c.add(self.scale.class(s));
        }
        c.score(self.scale)
    }

    /// The score of the responses given in each calendar period of
    /// `granularity`, for every period from the first response's to the last
    /// response's; periods without responses are absent from the result
    /// (their score is undefined, not 0).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] only if a period boundary falls outside the
    /// supported dates (the period containing 9999-12-31 ends there).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::{day, Granularity}, survey::{Scale, SurveyLog}};
    /// let days = [day(2024, 1, 5)?, day(2024, 1, 20)?, day(2024, 3, 2)?];
    /// let log = SurveyLog::new(None, &days, &[5, 2, 4], Scale::CSAT_5)?;
    /// let by_month = log.by_period(Granularity::Month)?;
    /// assert_eq!(by_month.len(), 2); // January and March; no responses in February
    /// assert_eq!(by_month[0].score.value, 0.5); // one of two satisfied
    /// assert_eq!(by_month[1].score.value, 1.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn by_period(&self, granularity: Granularity) -> Result<Vec<PeriodScore>> {
        let keys: Vec<i32> = self.days.iter().map(|&d| granularity.index(d)).collect();
        grouped(&keys, self.scores, self.scale, granularity)
    }

    /// The score of the responses of each acquisition cohort: customers
    /// grouped by the `granularity` period of their first purchase in `log`
    /// (as in [`crate::cohort::cohort_matrix`]). Cohorts without responses
    /// are absent.
    ///
    /// # Errors
    /// - [`Error::MissingColumn`] when the survey log has no customer ids;
    /// - [`Error::InvalidValue`] naming the first response whose customer
    ///   has no purchase in `log` (an unknown id is never dropped silently).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::{day, Granularity}, survey::{Scale, SurveyLog}, TransactionLog};
    /// // Customer 1 first buys in January, customer 2 in February.
    /// let ids = [1, 2, 1];
    /// let days = [day(2024, 1, 3)?, day(2024, 2, 9)?, day(2024, 2, 10)?];
    /// let log = TransactionLog::new(&ids, &days, None)?;
    /// let who = [2, 1, 1];
    /// let when = [day(2024, 3, 1)?; 3];
    /// let survey = SurveyLog::new(Some(&who), &when, &[10, 9, 3], Scale::Nps)?;
    /// let by_cohort = survey.by_cohort(&log, Granularity::Month)?;
    /// assert_eq!(by_cohort[0].label, "2024-01"); // customer 1: a 9 and a 3
    /// assert_eq!(by_cohort[0].score.value, 0.0); // 100 × (1 − 1) / 2
    /// assert_eq!(by_cohort[1].score.value, 100.0); // customer 2: a 10
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn by_cohort(
        &self,
        log: &TransactionLog<'_>,
        granularity: Granularity,
    ) -> Result<Vec<PeriodScore>> {
        let ids = self.ids.ok_or(Error::MissingColumn {
            column: "customer_id",
            needed_for: "survey scores by cohort",
        })?;
        let firsts = summary(
            log,
            &SummaryOptions {
                observation_end: Some(log.last_day()),
                ..SummaryOptions::default()
            },
        )?;
        let mut keys = Vec::with_capacity(ids.len());
        for (row, id) in ids.iter().enumerate() {
            let Ok(i) = firsts.customer_id.binary_search(id) else {
                return Err(Error::InvalidValue {
                    column: "customer_id",
                    row,
                    reason: format!("customer {id} has no purchase in the transaction log"),
                });
            };
            keys.push(granularity.index(firsts.first_day[i]));
        }
        grouped(&keys, self.scores, self.scale, granularity)
    }
}

/// Scores grouped by period number `keys` of `granularity`, in period order.
fn grouped(
    keys: &[i32],
    scores: &[u8],
    scale: Scale,
    granularity: Granularity,
) -> Result<Vec<PeriodScore>> {
    let mut pairs: Vec<(i32, i8)> = keys
        .iter()
        .zip(scores)
        .map(|(&k, &s)| (k, scale.class(s)))
        .collect();
    pairs.sort_unstable_by_key(|p| p.0);
    let mut out: Vec<(i32, Counts)> = Vec::new();
    for (k, c) in pairs {
        match out.last_mut() {
            Some((last, counts)) if *last == k => counts.add(c),
            _ => {
                let mut counts = Counts::default();
                counts.add(c);
                out.push((k, counts));
            }
        }
    }
    out.into_iter()
        .map(|(k, c)| {
            Ok(PeriodScore {
                period: granularity.period_of_index(k)?,
                label: granularity.label(k),
                score: c.score(scale),
            })
        })
        .collect()
}

#[derive(Default)]
struct Counts {
    positive: u64,
    neutral: u64,
    negative: u64,
}

impl Counts {
    fn add(&mut self, class: i8) {
        match class {
            1 => self.positive += 1,
            0 => self.neutral += 1,
            _ => self.negative += 1,
        }
    }

    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
    fn score(&self, scale: Scale) -> Score {
        let n = self.positive + self.neutral + self.negative;
        // n >= 1: every group holds at least one response.
        let nf = n as f64;
        let (p, d) = (self.positive as f64 / nf, self.negative as f64 / nf);
        let (value, se, lo, hi) = match scale {
            Scale::Nps => {
                let v = 100.0 * (p - d);
                let var = (p + d - (p - d) * (p - d)).max(0.0);
                (v, 100.0 * (var / nf).sqrt(), -100.0, 100.0)
            }
            Scale::Csat { .. } | Scale::Thumbs => (p, (p * (1.0 - p) / nf).sqrt(), 0.0, 1.0),
        };
        Score {
            responses: n,
            positive: self.positive,
            neutral: self.neutral,
            negative: self.negative,
            value,
            standard_error: se,
            lower: (value - Z95 * se).max(lo),
            upper: (value + Z95 * se).min(hi),
        }
    }
}

/// A survey score with its response counts and a 95 % interval.
///
/// # Formula
/// With $n$ responses, $p$ the share of positive (promoters, satisfied,
/// thumbs up) and $d$ the share of negative (detractors) responses:
///
/// $$ \mathrm{NPS} = 100\\,(p - d), \qquad
///    \mathrm{SE} = 100\sqrt{\frac{p + d - (p - d)^2}{n}} $$
/// (each response scored +1, 0 or −1; the variance of that score over $n$),
/// and for CSAT and thumbs
/// $$ \mathrm{CSAT} = p, \qquad \mathrm{SE} = \sqrt{\frac{p(1-p)}{n}}. $$
/// The interval is the Wald interval value ± 1.959964 SE, clipped to the
/// scale's range (−100..100, or 0..1). It is 0 wide when every response
/// falls in one class: report `responses` alongside it.
///
/// Source: docs/metrics.md, "Survey scores: NPS and CSAT"; Rocks, B. (2016), "Interval
/// Estimation for the 'Net Promoter Score'", The American Statistician
/// 70(4), 365–372 (the variance of the NPS and its Wald interval).
///
/// # Examples
/// ```
/// use retentionkit::{period::day, survey::{Scale, SurveyLog}};
/// let days = [day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 1, 20)?, day(2024, 3, 2)?, day(2024, 3, 8)?];
/// // Three promoters (9–10), one passive (7–8), one detractor (0–6).
/// let log = SurveyLog::new(None, &days, &[10, 9, 7, 3, 10], Scale::Nps)?;
/// let s = log.score();
/// assert_eq!((s.responses, s.positive, s.neutral, s.negative), (5, 3, 1, 1));
/// assert!(s.lower <= s.value && s.value <= s.upper);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Score {
    /// Number of responses.
    pub responses: u64,
    /// Promoters (NPS), satisfied (CSAT) or thumbs up.
    pub positive: u64,
    /// Passives (NPS only; 0 otherwise).
    pub neutral: u64,
    /// Detractors (NPS), not satisfied (CSAT) or thumbs down.
    pub negative: u64,
    /// NPS in −100..100, or CSAT as a fraction in 0..1.
    pub value: f64,
    /// Standard error of `value`.
    pub standard_error: f64,
    /// Lower end of the 95 % interval.
    pub lower: f64,
    /// Upper end of the 95 % interval.
    pub upper: f64,
}

/// A score for one calendar period or one acquisition cohort.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, survey::{Scale, SurveyLog}};
/// let days = [day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 1, 20)?, day(2024, 3, 2)?, day(2024, 3, 8)?];
/// // Three promoters (9–10), one passive (7–8), one detractor (0–6).
/// let log = SurveyLog::new(None, &days, &[10, 9, 7, 3, 10], Scale::Nps)?;
/// use retentionkit::period::Granularity;
/// let months = log.by_period(Granularity::Month)?;
/// // January: 10, 9, 7 → NPS (2 − 0) / 3; March: 3, 10 → (1 − 1) / 2; February had no answers.
/// assert_eq!(months.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(), ["2024-01", "2024-03"]);
/// assert!((months[0].score.value - 200.0 / 3.0).abs() < 1e-12);
/// assert_eq!(months[1].score.value, 0.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PeriodScore {
    /// The period (of the responses, or of the cohort's acquisition).
    pub period: Period,
    /// Its label, as [`Granularity::label`]: `2024-01`, `2024-Q1`, ...
    pub label: String,
    /// The score of its responses.
    pub score: Score,
}

#[cfg(test)]
mod tests;
