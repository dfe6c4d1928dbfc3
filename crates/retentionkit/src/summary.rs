//! The per-customer RFM/BTYD summary (frequency, recency, T, monetary value),
//! its calibration/holdout split and the compressed table the models fit on.
//!
//! Source: shared/metrics.md section 5; the definitions are those of
//! lifetimes' `summary_data_from_transaction_data` and
//! `calibration_and_holdout_data` (lifetimes 0.11.3, `freq='D'`, and
//! `freq_multiplier=7` for weeks), which follow Fader, Hardie & Lee (2005),
//! "Counting Your Customers the Easy Way", section 2.

use crate::error::{invalid_arg, Error, Result};
use crate::log::{par_map, TransactionLog};
use crate::period::{check_day, format_day};

/// The time unit of recency and T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum TimeUnit {
    /// Days.
    #[default]
    Days,
    /// Weeks of 7 days (the unit of the CDNOW papers).
    Weeks,
}

impl TimeUnit {
    /// Length of one unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }
}

/// Options of [`summary`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SummaryOptions {
    /// Last observed day (inclusive). Rows after it are outside the
    /// observation window and not counted; customers whose first purchase is
    /// after it do not appear. Default: the last day of the log.
    pub observation_end: Option<i32>,
    /// Unit of recency and T. Default: days.
    pub unit: TimeUnit,
}

/// Per-customer BTYD summary, one entry per customer in ascending id order.
///
/// Purchases on the same day are one purchase (a "period" of one day). With
/// $d_1 < \dots < d_{x+1}$ the customer's distinct purchase days up to the
/// observation end $e$:
///
/// # Formula
/// $$ x = \\#\\{d_i\\} - 1,\quad t_x = (d_{x+1} - d_1)/u,\quad T = (e - d_1)/u,\quad
///    m = \frac{1}{x}\sum_{i=2}^{x+1} \mathrm{spend}(d_i) \ (0 \text{ when } x = 0) $$
/// with $u$ the unit in days (1 or 7).
/// Source: Fader, Hardie & Lee (2005), section 2; lifetimes 0.11.3
/// `summary_data_from_transaction_data`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Summary {
    /// Customer ids, ascending.
    pub customer_id: Vec<u64>,
    /// Day of each customer's first purchase.
    pub first_day: Vec<i32>,
    /// Day of each customer's last purchase up to the observation end.
    pub last_day: Vec<i32>,
    /// Repeat purchase days $x$ (distinct purchase days − 1).
    pub frequency: Vec<u32>,
    /// Mean spend of the repeat purchase days (0 when $x = 0$); `None` when
    /// the log has no amounts.
    pub monetary_value: Option<Vec<f64>>,
    /// The observation end $e$ (inclusive day).
    pub observation_end: i32,
    /// Unit of recency and T.
    pub unit: TimeUnit,
}

#[derive(Clone, Copy)]
struct Acc {
    first: i32,
    last: i32,
    days: u32,
    repeat_sum: f64,
}

const NONE: Acc = Acc {
    first: i32::MIN,
    last: i32::MIN,
    days: 0,
    repeat_sum: 0.0,
};

/// Per-customer state of the summary pass, stored wide ([`Acc`], 24 bytes) or,
/// when the log spans fewer than 65,535 days, compact ([`Compact`], 16
/// bytes: a third less memory traffic on the pass's random accesses).
trait Slot: Copy + Send + Sync {
    const NONE: Self;
    fn get(self) -> Acc;
    fn set(acc: Acc) -> Self;
}

impl Slot for Acc {
    const NONE: Self = NONE;
    #[inline]
    fn get(self) -> Acc {
        self
    }
    #[inline]
    fn set(acc: Acc) -> Self {
        acc
    }
}

#[derive(Clone, Copy)]
struct Compact {
    first: i32,
    /// last − first.
    last_off: u16,
    /// Distinct days, at most last − first + 1.
    days: u16,
    repeat_sum: f64,
}

impl Slot for Compact {
    const NONE: Self = Compact {
        first: i32::MIN,
        last_off: 0,
        days: 0,
        repeat_sum: 0.0,
    };
    #[inline]
    fn get(self) -> Acc {
        Acc {
            first: self.first,
            last: self.first.wrapping_add(i32::from(self.last_off)),
            days: u32::from(self.days),
            repeat_sum: self.repeat_sum,
        }
    }
    #[inline]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: used only when the log spans < 65,535 days
    fn set(acc: Acc) -> Self {
        Compact {
            first: acc.first,
            last_off: acc.last.wrapping_sub(acc.first) as u16,
            days: acc.days as u16,
            repeat_sum: acc.repeat_sum,
        }
    }
}

/// Per-slot accumulators over the rows `rows` of the date order.
fn accumulate<S: Slot>(log: &TransactionLog<'_>, rows: std::ops::Range<usize>) -> Vec<Vec<S>> {
    crate::parts::per_part(log, rows.clone(), |part| {
        let mut acc = vec![S::NONE; part.slots.len()];
        part.visit(&mut acc, |slot, d, a| {
            // Branch-free: rows arrive in date order, so `d` is the
            // customer's latest day so far and a day unlike the last one is
            // a new day. A fresh slot has `days == 0` and `last == i32::MIN`.
            let c = slot.get();
            let first = if c.days == 0 { d } else { c.first };
            let c = Acc {
                first,
                last: d,
                days: c.days + u32::from(d != c.last),
                repeat_sum: c.repeat_sum + if d == first { 0.0 } else { a },
            };
            *slot = S::set(c);
        });
        acc
    })
}

/// The BTYD summary of a transaction log.
///
/// See [`Summary`] for the definitions.
///
/// # Errors
/// [`Error::InvalidArgument`] when the observation end is before the first
/// purchase of the log or outside the supported dates.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, summary::{summary, SummaryOptions}, TransactionLog};
/// // Customer 1 buys on Jan 1 (twice), Jan 8 and Jan 15; customer 2 once on Jan 10.
/// let ids = [1, 1, 1, 2, 1];
/// let days = [day(2024, 1, 1)?, day(2024, 1, 1)?, day(2024, 1, 8)?, day(2024, 1, 10)?, day(2024, 1, 15)?];
/// let amounts = [5.0, 5.0, 20.0, 7.0, 30.0];
/// let log = TransactionLog::new(&ids, &days, Some(&amounts))?;
/// let s = summary(&log, &SummaryOptions { observation_end: Some(day(2024, 1, 31)?), ..Default::default() })?;
/// assert_eq!(s.customer_id, [1, 2]);
/// assert_eq!(s.frequency, [2, 0]);            // 3 distinct days − 1; 1 day − 1
/// assert_eq!(s.recency(), [14.0, 0.0]);       // Jan 15 − Jan 1
/// assert_eq!(s.age(), [30.0, 21.0]);          // Jan 31 − first day
/// assert_eq!(s.monetary_value, Some(vec![25.0, 0.0])); // (20 + 30) / 2
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn summary(log: &TransactionLog<'_>, options: &SummaryOptions) -> Result<Summary> {
    let end = log.observation_end(options.observation_end)?;
    let rows = log.rows_before(end.saturating_add(1));
    if i64::from(log.last_day()) - i64::from(log.first_day()) < i64::from(u16::MAX) {
        Ok(collect::<Compact>(log, 0..rows, end, options.unit))
    } else {
        Ok(collect::<Acc>(log, 0..rows, end, options.unit))
    }
}

fn collect<S: Slot>(
    log: &TransactionLog<'_>,
    rows: std::ops::Range<usize>,
    end: i32,
    unit: TimeUnit,
) -> Summary {
    let parts = accumulate::<S>(log, rows);
    // Each part writes its customers into its own stretch of the output
    // columns, in parallel: for millions of customers, filling (and first
    // touching) the output memory is a sizeable share of the work.
    let counts = par_map(parts.iter().collect(), |p: &Vec<S>| {
        p.iter().filter(|c| c.get().days > 0).count()
    });
    let n = counts.iter().sum();
    let mut customer_id = vec![0; n];
    let mut first_day = vec![0; n];
    let mut last_day = vec![0; n];
    let mut frequency = vec![0; n];
    let mut monetary_value = log.has_amounts().then(|| vec![0.0; n]);
    let mut jobs = Vec::with_capacity(parts.len());
    {
        let (mut ids, mut firsts, mut lasts, mut freqs) = (
            &mut customer_id[..],
            &mut first_day[..],
            &mut last_day[..],
            &mut frequency[..],
        );
        let mut money = monetary_value.as_deref_mut();
        let mut slot = 0;
        for (part, &k) in parts.iter().zip(&counts) {
            let (i, rest_i) = std::mem::take(&mut ids).split_at_mut(k);
            let (f, rest_f) = std::mem::take(&mut firsts).split_at_mut(k);
            let (l, rest_l) = std::mem::take(&mut lasts).split_at_mut(k);
            let (x, rest_x) = std::mem::take(&mut freqs).split_at_mut(k);
            let (m, rest_m) = match money.take() {
                Some(m) => {
                    let (m, rest) = m.split_at_mut(k);
                    (Some(m), Some(rest))
                }
                None => (None, None),
            };
            (ids, firsts, lasts, freqs, money) = (rest_i, rest_f, rest_l, rest_x, rest_m);
            jobs.push((part, slot, i, f, l, x, m));
            slot += part.len();
        }
    }
    par_map(
        jobs,
        |(part, slot0, ids, firsts, lasts, freqs, mut money)| {
            let mut k = 0;
            for (slot, c) in (slot0..).zip(part) {
                let c = c.get();
                if c.days > 0 {
                    ids[k] = log.slot_id(slot);
                    firsts[k] = c.first;
                    lasts[k] = c.last;
                    let x = c.days - 1;
                    freqs[k] = x;
                    if let Some(m) = money.as_deref_mut() {
                        m[k] = if x == 0 {
                            0.0
                        } else {
                            c.repeat_sum / f64::from(x)
                        };
                    }
                    k += 1;
                }
            }
        },
    );
    let mut out = Summary {
        customer_id,
        first_day,
        last_day,
        frequency,
        monetary_value,
        observation_end: end,
        unit,
    };
    if !log.slots_in_id_order() {
        out.sort_by_id();
    }
    out
}

impl Summary {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.customer_id.is_empty()
    }

    /// Recency $t_x$ = (last − first purchase day) / unit, per customer.
    pub fn recency(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.last_day
            .iter()
            .zip(&self.first_day)
            .map(|(l, f)| f64::from(l - f) / u)
            .collect()
    }

    /// Age $T$ = (observation end − first purchase day) / unit, per customer
    /// (the column lifetimes calls `T`).
    pub fn age(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.first_day
            .iter()
            .map(|f| f64::from(self.observation_end - f) / u)
            .collect()
    }

    /// Frequency as `f64`, the form the models and lifetimes use.
    pub fn frequency_f64(&self) -> Vec<f64> {
        self.frequency.iter().map(|&x| f64::from(x)).collect()
    }

    /// Mean observed lifetime in days: the mean of (last − first purchase day).
    ///
    /// # Formula
    /// $$ \bar L = \frac{1}{n}\sum_i (d^{\mathrm{last}}_i - d^{\mathrm{first}}_i) $$
    /// Source: shared/metrics.md section 3, "average customer lifespan" (observed form).
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] for an empty summary.
    pub fn mean_observed_lifespan_days(&self) -> Result<f64> {
        let total: i64 = self
            .last_day
            .iter()
            .zip(&self.first_day)
            .map(|(l, f)| i64::from(l - f))
            .sum();
        crate::error::ratio(total as f64, self.len() as f64, "customers in the summary")
    }

    /// Group customers with equal $(x, t_x, T)$ into one weighted row: the
    /// table the models fit on (the CDNOW sample's 2,357 customers make far
    /// fewer distinct rows).
    pub fn compress(&self) -> CompressedSummary {
        let mut keys: Vec<(u32, i32, i32)> = (0..self.len())
            .map(|i| {
                (
                    self.frequency[i],
                    self.last_day[i] - self.first_day[i],
                    self.observation_end - self.first_day[i],
                )
            })
            .collect();
        keys.sort_unstable();
        let mut out = CompressedSummary {
            unit: self.unit,
            ..CompressedSummary::default()
        };
        for k in keys {
            out.push_or_add(k, 1);
        }
        out
    }

    fn sort_by_id(&mut self) {
        let mut idx: Vec<usize> = (0..self.len()).collect();
        idx.sort_unstable_by_key(|&i| self.customer_id[i]);
        let pick_u64 = |v: &[u64]| idx.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pick_i32 = |v: &[i32]| idx.iter().map(|&i| v[i]).collect::<Vec<_>>();
        self.customer_id = pick_u64(&self.customer_id);
        self.first_day = pick_i32(&self.first_day);
        self.last_day = pick_i32(&self.last_day);
        self.frequency = idx.iter().map(|&i| self.frequency[i]).collect();
        if let Some(m) = &self.monetary_value {
            self.monetary_value = Some(idx.iter().map(|&i| m[i]).collect());
        }
    }

    /// Merge summaries computed on customer-disjoint parts of one log (with
    /// the same observation end and unit) into the summary of the whole.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the parts differ in observation end, unit
    /// or the presence of amounts, or share a customer; [`Error::Empty`] for no parts.
    pub fn merge(parts: &[Summary]) -> Result<Summary> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of summaries to merge",
        })?;
        let mut out = Summary {
            customer_id: Vec::new(),
            first_day: Vec::new(),
            last_day: Vec::new(),
            frequency: Vec::new(),
            monetary_value: first.monetary_value.as_ref().map(|_| Vec::new()),
            observation_end: first.observation_end,
            unit: first.unit,
        };
        for p in parts {
            if p.observation_end != first.observation_end || p.unit != first.unit {
                return Err(Error::Incompatible {
                    reason: "summaries have different observation ends or units".into(),
                });
            }
            match (&mut out.monetary_value, &p.monetary_value) {
                (Some(m), Some(pm)) => m.extend_from_slice(pm),
                (None, None) => {}
                _ => {
                    return Err(Error::Incompatible {
                        reason: "some summaries have amounts and some do not".into(),
                    })
                }
            }
            out.customer_id.extend_from_slice(&p.customer_id);
            out.first_day.extend_from_slice(&p.first_day);
            out.last_day.extend_from_slice(&p.last_day);
            out.frequency.extend_from_slice(&p.frequency);
        }
        out.sort_by_id();
        if let Some(&[id, _]) = out.customer_id.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::Incompatible {
                reason: format!(
                    "customer {id} appears in more than one part; partition the log by customer"
                ),
            });
        }
        Ok(out)
    }
}

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
    fn push_or_add(&mut self, (x, r, t): (u32, i32, i32), n: u64) {
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

/// A calibration summary plus what each of its customers did in the holdout.
///
/// Source: lifetimes 0.11.3 `calibration_and_holdout_data`: the calibration
/// period is every day up to and including `calibration_end`, the holdout is
/// `(calibration_end, observation_end]`; customers first seen in the holdout
/// are not included.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CalibrationHoldout {
    /// The summary of the calibration period (observation end = calibration end).
    pub calibration: Summary,
    /// Distinct purchase days in the holdout, per calibration customer.
    pub frequency_holdout: Vec<u32>,
    /// Mean spend per holdout purchase day (0 when none); `None` without amounts.
    pub monetary_value_holdout: Option<Vec<f64>>,
    /// Length of the holdout, (observation end − calibration end) / unit.
    pub duration_holdout: f64,
}

/// Split a log into a calibration summary and holdout purchase counts.
///
/// # Errors
/// [`Error::InvalidArgument`] when `calibration_end` is before the first
/// purchase, or `observation_end` (default: last day of the log) is not after
/// `calibration_end`.
///
/// # Examples
/// ```
/// use retentionkit::{summary::{calibration_holdout, TimeUnit}, TransactionLog};
/// let ids = [1, 1, 1, 2];
/// let days = [0, 3, 10, 12];
/// let log = TransactionLog::new(&ids, &days, None)?;
/// let ch = calibration_holdout(&log, 5, Some(14), TimeUnit::Days)?;
/// assert_eq!(ch.calibration.customer_id, [1]); // customer 2 starts in the holdout
/// assert_eq!(ch.calibration.frequency, [1]);
/// assert_eq!(ch.frequency_holdout, [1]);
/// assert_eq!(ch.duration_holdout, 9.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn calibration_holdout(
    log: &TransactionLog<'_>,
    calibration_end: i32,
    observation_end: Option<i32>,
    unit: TimeUnit,
) -> Result<CalibrationHoldout> {
    let obs_end = observation_end.unwrap_or(log.last_day());
    check_day(obs_end, "observation_end")?;
    if obs_end <= calibration_end {
        return Err(invalid_arg(
            "observation_end",
            format!(
                "{} must be after the calibration end {}",
                format_day(obs_end),
                format_day(calibration_end)
            ),
        ));
    }
    let calibration = summary(
        log,
        &SummaryOptions {
            observation_end: Some(calibration_end),
            unit,
        },
    )?;
    let (cal_rows, all_rows) = (
        log.rows_before(calibration_end + 1),
        log.rows_before(obs_end + 1),
    );
    // Holdout days and spend per slot, deduplicating days as they arrive in order.
    let parts = crate::parts::per_part(log, cal_rows..all_rows, |part| {
        let mut acc = vec![NONE; part.slots.len()];
        part.visit(&mut acc, |c, d, a| {
            if c.days == 0 || d != c.last {
                c.days += 1;
                c.last = d;
            }
            c.repeat_sum += a;
        });
        acc
    });
    let holdout: Vec<Acc> = parts.into_iter().flatten().collect();
    // Calibration customers in id order; find their slots through a sorted id list.
    let mut slot_of: Vec<(u64, usize)> =
        (0..log.num_slots()).map(|s| (log.slot_id(s), s)).collect();
    if !log.slots_in_id_order() {
        slot_of.sort_unstable();
    }
    let mut frequency_holdout = Vec::with_capacity(calibration.len());
    let mut monetary = log
        .has_amounts()
        .then(|| Vec::with_capacity(calibration.len()));
    let mut j = 0;
    for &id in &calibration.customer_id {
        while slot_of[j].0 != id {
            j += 1;
        }
        let h = holdout[slot_of[j].1];
        frequency_holdout.push(h.days);
        if let Some(m) = monetary.as_mut() {
            m.push(if h.days == 0 {
                0.0
            } else {
                h.repeat_sum / f64::from(h.days)
            });
        }
    }
    Ok(CalibrationHoldout {
        duration_holdout: f64::from(obs_end - calibration_end) / unit.days(),
        calibration,
        frequency_holdout,
        monetary_value_holdout: monetary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observation_end_before_first_purchase_is_an_error() {
        let log = TransactionLog::new(&[1], &[100], None).unwrap();
        let err = summary(
            &log,
            &SummaryOptions {
                observation_end: Some(99),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    name: "observation_end",
                    ..
                }
            ),
            "{err}"
        );
        let err = calibration_holdout(&log, 100, Some(100), TimeUnit::Days).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    name: "observation_end",
                    ..
                }
            ),
            "{err}"
        );
        assert!(matches!(
            calibration_holdout(&log, 50, Some(120), TimeUnit::Days),
            Err(Error::InvalidArgument { .. })
        ));
    }

    #[test]
    fn weeks_divide_days_by_seven_and_rows_after_the_end_are_outside() {
        // Customer 5: days 0, 7, 14 and 30; observation ends on day 21.
        let log = TransactionLog::new(&[5, 5, 5, 5], &[30, 0, 14, 7], Some(&[9.0, 1.0, 3.0, 2.0]))
            .unwrap();
        let s = summary(
            &log,
            &SummaryOptions {
                observation_end: Some(21),
                unit: TimeUnit::Weeks,
            },
        )
        .unwrap();
        assert_eq!(s.frequency, [2]);
        assert_eq!(s.recency(), [2.0]); // 14 / 7
        assert_eq!(s.age(), [3.0]); // 21 / 7
        assert_eq!(s.monetary_value, Some(vec![2.5])); // (2 + 3) / 2
    }

    #[test]
    fn compress_groups_equal_rows_and_merge_adds_counts() {
        let log = TransactionLog::new(&[1, 2, 3, 3], &[0, 0, 0, 2], None).unwrap();
        let c = summary(&log, &SummaryOptions::default())
            .unwrap()
            .compress();
        assert_eq!(c.frequency, [0, 1]);
        assert_eq!(c.recency_days, [0, 2]);
        assert_eq!(c.age_days, [2, 2]);
        assert_eq!(c.count, [2, 1]);
        let m = CompressedSummary::merge(&[c.clone(), c]).unwrap();
        assert_eq!(m.count, [4, 2]);
    }

    #[test]
    fn merging_overlapping_parts_is_refused() {
        let log = TransactionLog::new(&[1, 2], &[0, 1], None).unwrap();
        let s = summary(&log, &SummaryOptions::default()).unwrap();
        assert!(matches!(
            Summary::merge(&[s.clone(), s]),
            Err(Error::Incompatible { .. })
        ));
        assert!(matches!(Summary::merge(&[]), Err(Error::Empty { .. })));
    }
}
