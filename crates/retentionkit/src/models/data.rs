//! The repeat-purchase data the non-contractual models fit on: per customer
//! (or per group of customers with equal values) the number of repeat
//! purchases x, the time of the last purchase t_x and the age T, both
//! counted from the first purchase (the "(x, t_x, T)" of Fader, Hardie &
//! Lee 2005), with a weight.

use crate::error::{invalid_arg, Error, Result};
use crate::summary::{CompressedSummary, Summary};

/// A BTYD summary [`RepeatData::from_summary`] reads: a [`Summary`] or a
/// [`CompressedSummary`]. Sealed: implemented by those two only.
pub trait RepeatSummary: sealed::Sealed {
    /// The summary's customers as [`RepeatData`].
    ///
    /// # Errors
    /// As [`RepeatData::new`].
    fn repeat_data(&self) -> Result<RepeatData>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::summary::Summary {}
    impl Sealed for crate::summary::CompressedSummary {}
}

impl RepeatSummary for Summary {
    fn repeat_data(&self) -> Result<RepeatData> {
        RepeatData::from_compressed(&self.compress())
    }
}

impl RepeatSummary for CompressedSummary {
    fn repeat_data(&self) -> Result<RepeatData> {
        RepeatData::from_compressed(self)
    }
}

/// Validated (x, t_x, T, weight) rows.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatData {
    pub(crate) x: Vec<f64>,
    pub(crate) t_x: Vec<f64>,
    pub(crate) t: Vec<f64>,
    pub(crate) weight: Vec<f64>,
    customers: f64,
    /// The distinct values of x, t_x and T, and each row's index into them:
    /// a fit evaluates everything that depends on one value (ln Γ of x,
    /// ln(α + T), …) once per distinct value, not once per row.
    pub(crate) x_values: Distinct,
    pub(crate) t_x_values: Distinct,
    pub(crate) t_values: Distinct,
}

/// The distinct values of a column, increasing, and each row's index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Distinct {
    pub values: Vec<f64>,
    pub index: Vec<u32>,
}

impl Distinct {
    /// `column` has finite values and fewer than 2³² rows.
    pub(crate) fn new(column: &[f64]) -> Self {
        let mut values = column.to_vec();
        values.sort_unstable_by(f64::total_cmp);
        values.dedup();
        let index = column
            .iter()
            .map(|v| {
                let i = values.partition_point(|u| u < v);
                u32::try_from(i).unwrap_or(u32::MAX) // ok: i < rows < 2^32
            })
            .collect();
        Self { values, index }
    }
}

impl RepeatData {
    /// Check and copy repeat-purchase columns: `frequency` (x), `recency`
    /// (t_x) and `age` (T) in one time unit, and optional integer weights
    /// (how many customers share the row; 1 each when `None`).
    ///
    /// # Errors
    /// - [`Error::Empty`] for no rows, [`Error::LengthMismatch`] for columns
    ///   of different lengths;
    /// - [`Error::InvalidValue`] naming the first bad row: a recency or age
    ///   that is not finite or is negative,
    ///   a recency beyond the age, a recency other than 0 with no repeat
    ///   purchase, or 0 with repeat purchases;
    /// - [`Error::InvalidArgument`] when all weights are 0, or no customer
    ///   made a repeat purchase (the models cannot be identified).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::RepeatData;
    /// let d = RepeatData::new(&[2, 0], &[30.0, 0.0], &[38.0, 20.0], None)?;
    /// assert_eq!(d.customers(), 2.0);
    /// let err = RepeatData::new(&[2, 0], &[40.0, 0.0], &[38.0, 20.0], None).unwrap_err();
    /// assert_eq!(err.to_string(), "column `recency`, row 0: recency 40 is beyond the age 38");
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        weights: Option<&[u64]>,
    ) -> Result<Self> {
        let n = frequency.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "repeat-purchase data",
            });
        }
        for (column, len) in [("recency", recency.len()), ("age", age.len())]
            .into_iter()
            .chain(weights.map(|w| ("weight", w.len())))
        {
            if len != n {
                return Err(Error::LengthMismatch {
                    column,
                    expected: n,
                    got: len,
                });
            }
        }
        for row in 0..n {
            if let Err((column, reason)) = check_row(frequency[row], recency[row], age[row]) {
                return Err(Error::InvalidValue {
                    column,
                    row,
                    reason,
                });
            }
        }
        let weight = checked_weights(weights, n)?;
        let customers: f64 = weight.iter().sum();
        check_identified(
            frequency,
            &weight,
            "no customer made a repeat purchase, so the model cannot be identified",
        )?;
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge {
                what: "repeat-purchase rows",
                got: n,
                max: u32::MAX as usize,
            });
        }
        let x: Vec<f64> = frequency.iter().map(|&x| f64::from(x)).collect();
        Ok(Self {
            x_values: Distinct::new(&x),
            t_x_values: Distinct::new(recency),
            t_values: Distinct::new(age),
            x,
            t_x: recency.to_vec(),
            t: age.to_vec(),
            weight,
            customers,
        })
    }

    /// [`RepeatData::new`] with equal (x, t_x, T) rows grouped into one
    /// whose weight is their sum, in increasing (x, t_x, T) order: the rows
    /// [`RepeatData::from_summary`] makes of the compressed summary. So a
    /// fit on a summary's columns (Python, a data frame) is the fit on its
    /// compressed summary (the CLI, the npm package), to the last bit, and
    /// evaluates each distinct row once.
    ///
    /// # Errors
    /// As [`RepeatData::new`], with the row numbers of the columns given.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::RepeatData;
    /// let d = RepeatData::grouped(&[2, 0, 2], &[30.0, 0.0, 30.0], &[38.0, 20.0, 38.0], None)?;
    /// assert_eq!((d.len(), d.customers()), (2, 3.0));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn grouped(
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        weights: Option<&[u64]>,
    ) -> Result<Self> {
        let rows = Self::new(frequency, recency, age, weights)?;
        let key = |i: usize| (rows.x[i], rows.t_x[i], rows.t[i]);
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_unstable_by(|&i, &j| {
            let (a, b) = (key(i), key(j));
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.total_cmp(&b.2))
        });
        let (mut x, mut t_x, mut t, mut weight) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in order {
            let (xi, txi, ti) = key(i);
            let same = x.last() == Some(&xi) && t_x.last() == Some(&txi) && t.last() == Some(&ti);
            match weight.last_mut() {
                Some(w) if same => *w += rows.weight[i],
                _ => {
                    x.push(xi);
                    t_x.push(txi);
                    t.push(ti);
                    weight.push(rows.weight[i]);
                }
            }
        }
        Ok(Self {
            x_values: Distinct::new(&x),
            t_x_values: Distinct::new(&t_x),
            t_values: Distinct::new(&t),
            x,
            t_x,
            t,
            weight,
            customers: rows.customers,
        })
    }

    /// The customers of a BTYD summary, in its time unit: a [`Summary`]
    /// (compressed on the way, [`Summary::compress`]) or its
    /// [`CompressedSummary`], as [`SpendData::from_summary`] reads a summary
    /// for the spend model.
    ///
    /// # Errors
    /// As [`RepeatData::new`]. Customers first seen on the summary's
    /// observation end have age 0 and no repeat purchase: they add nothing
    /// to the likelihood and are kept.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::RepeatData, summary::{summary, SummaryOptions}, TransactionLog};
    /// // Customers 1 and 2 buy on days 0 and 5, customer 3 on day 2 only.
    /// let log = TransactionLog::new(&[1, 2, 1, 2, 3], &[0, 0, 5, 5, 2], None)?;
    /// let s = summary(&log, &SummaryOptions::default())?;
    /// let data = RepeatData::from_summary(&s)?;
    /// assert_eq!(data, RepeatData::from_summary(&s.compress())?);
    /// assert_eq!((data.len(), data.customers()), (2, 3.0)); // rows (1, 5, 5) twice and (0, 0, 3)
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    ///
    /// [`SpendData::from_summary`]: crate::models::gamma_gamma::SpendData::from_summary
    pub fn from_summary(summary: &impl RepeatSummary) -> Result<Self> {
        summary.repeat_data()
    }

    /// The rows of a compressed BTYD summary, in its time unit (what
    /// [`RepeatData::from_summary`] does with either kind of summary).
    ///
    /// # Errors
    /// As [`RepeatData::from_summary`].
    pub fn from_compressed(summary: &CompressedSummary) -> Result<Self> {
        Self::new(
            &summary.frequency,
            &summary.recency(),
            &summary.age(),
            Some(&summary.count),
        )
    }

    /// The same rows with other weights (one per row, integers ≥ 0 as
    /// `f64`): the data of one customer-bootstrap replicate. `None` when
    /// the lengths differ or no customer with a repeat purchase keeps a
    /// positive weight (the model cannot be identified).
    #[cfg(feature = "simulate")]
    pub(crate) fn with_weights(&self, weight: Vec<f64>) -> Option<Self> {
        if weight.len() != self.len()
            || !self
                .x
                .iter()
                .zip(&weight)
                .any(|(&x, &w)| x > 0.0 && w > 0.0)
        {
            return None;
        }
        Some(Self {
            customers: weight.iter().sum(),
            weight,
            ..self.clone()
        })
    }

    /// The rows' (x, t_x, T) as columns.
    #[cfg(feature = "simulate")]
    pub(crate) fn columns(&self) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
        // x came in as a u32 (`new`), so the conversion back is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let x = self.x.iter().map(|&v| v as u32).collect();
        (x, self.t_x.clone(), self.t.clone())
    }

    /// The weight of each row (how many customers share it).
    #[cfg(feature = "simulate")]
    pub(crate) fn weights(&self) -> &[f64] {
        &self.weight
    }

    /// The rows `rows` of these data, in that order, with their weights:
    /// the customers of one covariate group of
    /// [`crate::models::covariates`]. The identification rule of
    /// [`RepeatData::new`] is not applied (a group may hold no repeat
    /// buyer; the whole data set was checked). `rows` is not empty and
    /// every index is below [`RepeatData::len`].
    pub(crate) fn subset(&self, rows: &[usize]) -> Self {
        let pick = |c: &[f64]| rows.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        let (x, t_x, t, weight) = (
            pick(&self.x),
            pick(&self.t_x),
            pick(&self.t),
            pick(&self.weight),
        );
        Self {
            customers: weight.iter().sum(),
            x_values: Distinct::new(&x),
            t_x_values: Distinct::new(&t_x),
            t_values: Distinct::new(&t),
            x,
            t_x,
            t,
            weight,
        }
    }

    /// Every k-th row (with its weight) when there are more than
    /// [`SAMPLE_ABOVE`] rows, k chosen for about [`SAMPLE_ROWS`]: the sample
    /// whose fit starts the fit on every row
    /// ([`crate::optim::fit_positive_warm`]); `None` for smaller data.
    pub(crate) fn start_sample(&self) -> Option<Self> {
        if self.len() <= SAMPLE_ABOVE {
            return None;
        }
        let rows: Vec<usize> = (0..self.len())
            .step_by(self.len().div_ceil(SAMPLE_ROWS))
            .collect();
        Some(self.subset(&rows))
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: the data hold at least one row.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The weighted mean age, floored at 1e-3: a time scale for the fits'
    /// starting values.
    pub(crate) fn mean_age(&self) -> f64 {
        let sum: f64 = self.t.iter().zip(&self.weight).map(|(t, w)| t * w).sum();
        (sum / self.customers).max(1e-3)
    }

    /// Number of customers (the sum of the weights).
    pub fn customers(&self) -> f64 {
        self.customers
    }
}

/// The rules of one (x, t_x, T) row: the column at fault and why.
/// Rows above which a repeat model's fit starts from a fit on a sample
/// ([`RepeatData::start_sample`]).
pub(crate) const SAMPLE_ABOVE: usize = 50_000;

/// About how many rows that sample has.
const SAMPLE_ROWS: usize = 20_000;

fn check_row(x: u32, tx: f64, t: f64) -> std::result::Result<(), (&'static str, String)> {
    if !(t.is_finite() && t >= 0.0) {
        return Err(("age", format!("age {t} must be finite and non-negative")));
    }
    if !(tx.is_finite() && tx >= 0.0) {
        return Err((
            "recency",
            format!("recency {tx} must be finite and non-negative"),
        ));
    }
    if tx > t {
        return Err(("recency", format!("recency {tx} is beyond the age {t}")));
    }
    if x == 0 && tx != 0.0 {
        return Err((
            "recency",
            format!("recency {tx} with no repeat purchase (it must be 0)"),
        ));
    }
    if x > 0 && tx == 0.0 {
        return Err((
            "recency",
            format!("recency 0 with {x} repeat purchases (they come after the first)"),
        ));
    }
    Ok(())
}

/// Check one customer's (x, t_x, T) for a prediction.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `recency` or `age`, by the rules of
/// [`RepeatData::new`].
pub(crate) fn check_customer(x: u32, t_x: f64, t: f64) -> Result<()> {
    check_row(x, t_x, t).map_err(|(name, reason)| invalid_arg(name, reason))
}

/// Integer weights as `f64` (1 each when `None`); `weights` has `n` entries.
///
/// # Errors
/// [`Error::InvalidArgument`] when every weight is 0.
pub(crate) fn checked_weights(weights: Option<&[u64]>, n: usize) -> Result<Vec<f64>> {
    #[allow(clippy::cast_precision_loss)] // ok: weights below 2^53 in practice
    let weight: Vec<f64> = match weights {
        Some(w) => w.iter().map(|&w| w as f64).collect(),
        None => vec![1.0; n],
    };
    if weight.iter().sum::<f64>() == 0.0 {
        return Err(invalid_arg("weights", "every weight is 0"));
    }
    Ok(weight)
}

/// `Ok` when some customer with a positive weight has x > 0; otherwise the
/// model cannot be identified and [`Error::InvalidArgument`] says `reason`.
pub(crate) fn check_identified(frequency: &[u32], weight: &[f64], reason: &str) -> Result<()> {
    if frequency
        .iter()
        .zip(weight)
        .any(|(&x, &w)| x > 0 && w > 0.0)
    {
        Ok(())
    } else {
        Err(invalid_arg("frequency", reason))
    }
}
