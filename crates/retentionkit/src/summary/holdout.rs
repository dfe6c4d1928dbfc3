//! The calibration/holdout split of the summary.

use super::{summary, Summary, SummaryOptions, TimeUnit};
#[cfg(doc)]
use crate::error::Error;
use crate::error::{check_length, check_optional_length, invalid_arg, Result};
use crate::log::TransactionLog;
use crate::period::{check_day, format_day};

/// A calibration summary plus what each of its customers did in the holdout.
///
/// Source: lifetimes 0.11.3 `calibration_and_holdout_data`: the calibration
/// period is every day up to and including `calibration_end`, the holdout is
/// `(calibration_end, observation_end]`; customers first seen in the holdout
/// are not included.
///
/// Deserialization runs [`CalibrationHoldout::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CalibrationHoldoutRaw"))]
pub struct CalibrationHoldout {
    /// The summary of the calibration period (observation end = calibration end).
    pub calibration: Summary,
    /// Distinct purchase days in the holdout, per calibration customer.
    pub frequency_holdout: Vec<u32>,
    /// Mean spend in the holdout (0 when no purchase), per purchase day or
    /// per order as [`HoldoutSpend`] says; `None` without amounts.
    pub monetary_value_holdout: Option<Vec<f64>>,
    /// Length of the holdout, (observation end − calibration end) / unit.
    pub duration_holdout: f64,
}

checked_serde!(CalibrationHoldout by validate, CalibrationHoldoutRaw {
    calibration: Summary,
    frequency_holdout: Vec<u32>,
    monetary_value_holdout: Option<Vec<f64>>,
    duration_holdout: f64,
});

impl CalibrationHoldout {
    /// Check that the calibration summary is valid ([`Summary::validate`]),
    /// the holdout columns have one row per calibration customer and the
    /// holdout's length is finite and positive. Deserialization runs it.
    ///
    /// # Errors
    /// The error of [`Summary::validate`]; [`Error::LengthMismatch`] for a
    /// holdout column of another length; [`Error::InvalidArgument`] for the
    /// holdout's length.
    pub fn validate(&self) -> Result<()> {
        self.calibration.validate()?;
        let n = self.calibration.len();
        check_length("frequency_holdout", n, self.frequency_holdout.len())?;
        check_optional_length(
            "monetary_value_holdout",
            n,
            self.monetary_value_holdout.as_deref(),
        )?;
        if self.duration_holdout.is_finite() && self.duration_holdout > 0.0 {
            Ok(())
        } else {
            Err(invalid_arg(
                "duration_holdout",
                format!("{} must be finite and positive", self.duration_holdout),
            ))
        }
    }
}

/// How [`calibration_holdout_with`] averages a customer's holdout spend.
///
/// Source: docs/metrics.md, "Calibration / holdout". The two differ only
/// for a customer with two or more orders on one holdout day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HoldoutSpend {
    /// The mean of the per-day sums: a day with two orders is one purchase of
    /// their total, as in the calibration `monetary_value`, in lifetimes'
    /// `summary_data_from_transaction_data` and in the Gamma-Gamma model,
    /// whose "transactions" are purchase days (the default).
    #[default]
    PerDay,
    /// The mean of the holdout orders (rows): what lifetimes 0.11.3's
    /// `calibration_and_holdout_data` computes for `monetary_value_holdout`.
    PerOrder,
}

/// Split a log into a calibration summary and holdout purchase counts, the
/// holdout spend per purchase day ([`calibration_holdout_with`] and
/// [`HoldoutSpend::PerOrder`] give lifetimes' mean per order).
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
    calibration_holdout_with(
        log,
        calibration_end,
        observation_end,
        unit,
        HoldoutSpend::PerDay,
    )
}

/// [`calibration_holdout`] with the holdout spend averaged as `spend` says.
///
/// # Errors
/// Those of [`calibration_holdout`].
///
/// # Examples
/// ```
/// use retentionkit::summary::{calibration_holdout_with, HoldoutSpend, TimeUnit};
/// use retentionkit::TransactionLog;
/// // Customer 1: day 0 in the calibration; orders of 10 and 20 on day 8 and
/// // of 30 on day 9 in the holdout (5, 14].
/// let log = TransactionLog::new(&[1, 1, 1, 1], &[0, 8, 8, 9], Some(&[5.0, 10.0, 20.0, 30.0]))?;
/// let per_day = calibration_holdout_with(&log, 5, Some(14), TimeUnit::Days, HoldoutSpend::PerDay)?;
/// assert_eq!(per_day.monetary_value_holdout, Some(vec![30.0])); // (30 + 30) / 2 days
/// let per_order = calibration_holdout_with(&log, 5, Some(14), TimeUnit::Days, HoldoutSpend::PerOrder)?;
/// assert_eq!(per_order.monetary_value_holdout, Some(vec![20.0])); // (10 + 20 + 30) / 3 orders
/// assert_eq!(per_order.frequency_holdout, [2]); // purchase days either way
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn calibration_holdout_with(
    log: &TransactionLog<'_>,
    calibration_end: i32,
    observation_end: Option<i32>,
    unit: TimeUnit,
    spend: HoldoutSpend,
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
    // Holdout days, orders and spend per slot, deduplicating days as they
    // arrive in order.
    let parts = crate::parts::per_part(log, cal_rows..all_rows, |part| {
        let mut acc = vec![Holdout::NONE; part.slots.len()];
        part.visit(&mut acc, |c, d, a| {
            if c.days == 0 || d != c.last {
                c.days += 1;
                c.last = d;
            }
            c.orders += 1;
            c.sum += a;
        });
        acc
    });
    let holdout: Vec<Holdout> = parts.into_iter().flatten().collect();
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
            let n = match spend {
                HoldoutSpend::PerDay => h.days,
                HoldoutSpend::PerOrder => h.orders,
            };
            m.push(if n == 0 { 0.0 } else { h.sum / f64::from(n) });
        }
    }
    Ok(CalibrationHoldout {
        duration_holdout: f64::from(obs_end - calibration_end) / unit.days(),
        calibration,
        frequency_holdout,
        monetary_value_holdout: monetary,
    })
}

/// A calibration customer's holdout: distinct purchase days (the last seen
/// in `last`), orders and spend.
#[derive(Clone, Copy)]
struct Holdout {
    last: i32,
    days: u32,
    orders: u32,
    sum: f64,
}

impl Holdout {
    const NONE: Holdout = Holdout {
        last: i32::MIN,
        days: 0,
        orders: 0,
        sum: 0.0,
    };
}
