//! One interface over the non-contractual repeat-purchase models (BG/NBD,
//! MBG/NBD, Pareto/NBD): the [`RepeatModel`] trait that the checks, CLV and
//! the at-risk list of [`crate::models::check`] take, [`RepeatFit`] for
//! their fits, and [`RepeatParams`], any of the three as one serde-tagged
//! value, with [`RepeatKind`] naming them.
//!
//! Front-ends that choose the model at run time (Python's classes, the
//! CLI, the npm package) hold a [`RepeatParams`] and call the generic code;
//! a new model is one more variant here and one impl of the two traits.
//!
//! ```
//! use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatModel, RepeatParams};
//! use retentionkit::models::RepeatData;
//! use retentionkit::optim::FitOptions;
//! let kind: RepeatKind = "pareto_nbd".parse()?;
//! // Typed-in parameters: Fader, Hardie & Lee (2005)'s Pareto/NBD CDNOW estimates.
//! let m = RepeatParams::new(kind, [0.55, 10.58, 0.61, 11.67])?;
//! assert_eq!(m.values(), [0.55, 10.58, 0.61, 11.67]);
//! assert!(m.probability_alive(2, 30.43, 38.86)? > 0.5);
//! // A fit of any kind returns the same type.
//! let data = RepeatData::new(&[0, 2, 5, 1], &[0.0, 20.0, 35.0, 5.0], &[40.0, 38.0, 39.0, 30.0], None)?;
//! let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
//! assert_eq!(fit.params.kind(), RepeatKind::BgNbd);
//! # Ok::<(), retentionkit::Error>(())
//! ```

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::models::bg_nbd::{finite, fit_bg_nbd, BgNbdParams, Predictions};
use crate::models::check::ClvOptions;
use crate::models::data::{check_customer, RepeatData};
use crate::models::distribution::{check_max_n, PurchaseDistribution};
use crate::models::mbg_nbd::{fit_mbg_nbd, MbgNbdParams};
use crate::models::nbd::NbdParams;
use crate::models::pareto_nbd::{fit_pareto_nbd, ParetoNbdParams};
use crate::optim::{Fit, FitOptions};
use crate::summary::Summary;

/// A non-contractual repeat-purchase model: per customer (x, t_x, T) in the
/// time unit of its data.
///
/// The three required methods are the model's formulas; the provided ones
/// evaluate whole columns once per distinct customer (x, t_x, T) and
/// scatter the values back, which a model overrides when it has a faster
/// pass (BG/NBD does). `Sync`, so the passes can run in parallel.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, mbg_nbd::MbgNbdParams, repeat::RepeatModel};
/// // Code written against the trait works with every model.
/// fn alive_if_never_returned(m: &impl RepeatModel) -> retentionkit::Result<f64> {
///     m.probability_alive(0, 0.0, 39.0)
/// }
/// // BG/NBD: drop-out only after a repeat purchase, so a customer without one is alive.
/// assert_eq!(alive_if_never_returned(&BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?)?, 1.0);
/// // MBG/NBD: drop-out may happen at the first purchase too.
/// assert!(alive_if_never_returned(&MbgNbdParams::new(0.243, 4.414, 0.793, 2.426)?)? < 1.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub trait RepeatModel: Sync {
    /// Probability that the customer is still alive at T.
    ///
    /// # Errors
    /// For an impossible (x, t_x, T), by the rules of
    /// [`RepeatData::new`](crate::models::RepeatData::new).
    fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64>;

    /// Expected purchases in `(T, T + horizon]`.
    ///
    /// # Errors
    /// For an impossible (x, t_x, T) or horizon, or parameters where the
    /// model's expectation is not defined.
    fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64>;

    /// Expected repeat purchases in the first `horizon` after a customer's
    /// first purchase.
    ///
    /// # Errors
    /// For a negative or non-finite horizon, or parameters where the model's
    /// expectation is not defined.
    fn expected_purchases_new(&self, horizon: f64) -> Result<f64>;

    /// Probability alive and expected purchases in the next `horizon` of
    /// every customer of a summary (in the model's time unit), in summary
    /// order.
    ///
    /// # Errors
    /// As [`RepeatModel::expected_purchases`].
    fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions> {
        self.predict_columns(
            &summary.frequency,
            &summary.recency(),
            &summary.age(),
            horizon,
        )
    }

    /// [`RepeatModel::predict`] on columns (x, t_x, T).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for columns of different lengths;
    /// [`Error::InvalidValue`] naming the column (`"recency"`, `"age"`) and
    /// the first row whose (x, t_x, T) is impossible; the model's errors for
    /// its parameters and `horizon`.
    fn predict_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        crate::error::check_non_negative(horizon, "horizon")?;
        let pairs = per_distinct(frequency, recency, age, |x, tx, t| {
            Ok((
                self.probability_alive(x, tx, t)?,
                self.expected_purchases(x, tx, t, horizon)?,
            ))
        })?;
        let (probability_alive, expected_purchases) = pairs.into_iter().unzip();
        Ok(Predictions {
            probability_alive,
            expected_purchases,
        })
    }

    /// Per customer, the discounted sum of expected purchases over the
    /// periods of `options`: Σₖ (E[Y(kℓ)] − E[Y((k−1)ℓ)]) / (1 + d)ᵏ, the
    /// CLV of [`crate::models::check::clv`] without the spend factor.
    ///
    /// # Errors
    /// As [`RepeatModel::predict_columns`], and for invalid `options`.
    fn discounted_purchases(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        options.check()?;
        per_distinct(frequency, recency, age, |x, tx, t| {
            options.discounted_sum(|h| self.expected_purchases(x, tx, t, h))
        })
    }

    /// Probability that a new customer makes exactly `n` repeat purchases
    /// in the first `horizon` after their first purchase (FHL 2005 eq. 8
    /// and its MBG/NBD and Pareto/NBD forms; [`crate::models::counts`]).
    ///
    /// # Errors
    /// For a negative or non-finite horizon.
    fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64>;

    /// Probability that the customer (x, t_x, T) makes exactly `n`
    /// purchases in `(T, T + horizon]` ([`crate::models::counts`]).
    ///
    /// # Errors
    /// As [`RepeatModel::expected_purchases`].
    fn probability_of_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
        n: u32,
    ) -> Result<f64>;

    /// Probability that the customer (x, t_x, T) is still alive at
    /// T + `horizon` (each model's doc gives its formula).
    ///
    /// # Errors
    /// As [`RepeatModel::expected_purchases`].
    fn probability_alive_at(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64>;

    /// DERT, the discounted expected residual transactions of the customer
    /// (x, t_x, T) at the continuous discount rate `discount_rate` per time
    /// unit ([`crate::models::distribution`]).
    ///
    /// # Errors
    /// As [`RepeatModel::expected_purchases`], and for a discount rate that
    /// is not finite and positive.
    fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64>;

    /// Probability that the customer (x, t_x, T) makes no purchase in
    /// `(T, T + horizon]`: [`RepeatModel::probability_of_purchases`] at 0.
    ///
    /// # Errors
    /// As [`RepeatModel::probability_of_purchases`].
    fn probability_no_purchase(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        self.probability_of_purchases(frequency, recency, age, horizon, 0)
    }

    /// P(exactly n purchases in the next `horizon`) for n = 0..=`max_n` of
    /// every customer of the columns, evaluated once per distinct
    /// (x, t_x, T). A row sums to less than 1 by the probability of more
    /// than `max_n` purchases.
    ///
    /// # Errors
    /// As [`RepeatModel::predict_columns`]; [`Error::InvalidArgument`]
    /// naming `max_n` above
    /// [`MAX_PURCHASES`](crate::models::distribution::MAX_PURCHASES).
    fn purchase_distribution(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
        max_n: u32,
    ) -> Result<PurchaseDistribution> {
        check_max_n(max_n)?;
        crate::error::check_non_negative(horizon, "horizon")?;
        let rows = per_distinct(frequency, recency, age, |x, tx, t| {
            (0..=max_n)
                .map(|n| self.probability_of_purchases(x, tx, t, horizon, n))
                .collect::<Result<Vec<f64>>>()
        })?;
        Ok(PurchaseDistribution {
            max_n,
            probabilities: rows.concat(),
        })
    }

    /// [`RepeatModel::probability_alive_at`] of every customer of the
    /// columns, once per distinct (x, t_x, T).
    ///
    /// # Errors
    /// As [`RepeatModel::predict_columns`].
    fn probability_alive_at_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Vec<f64>> {
        crate::error::check_non_negative(horizon, "horizon")?;
        per_distinct(frequency, recency, age, |x, tx, t| {
            self.probability_alive_at(x, tx, t, horizon)
        })
    }

    /// [`RepeatModel::dert`] of every customer of the columns, once per
    /// distinct (x, t_x, T).
    ///
    /// # Errors
    /// As [`RepeatModel::predict_columns`] and [`RepeatModel::dert`].
    fn dert_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        discount_rate: f64,
    ) -> Result<Vec<f64>> {
        crate::models::check_positive(discount_rate, "discount_rate")?;
        per_distinct(frequency, recency, age, |x, tx, t| {
            self.dert(x, tx, t, discount_rate)
        })
    }

    /// The log-likelihood of data at these parameters.
    fn log_likelihood(&self, data: &RepeatData) -> f64;
}

/// A [`RepeatModel`] with a maximum-likelihood fit, named by a [`RepeatKind`].
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, repeat::{RepeatFit, RepeatKind}, RepeatData};
/// use retentionkit::optim::{Fit, FitOptions};
/// fn fit_any<M: RepeatFit>(data: &RepeatData) -> retentionkit::Result<Fit<M>> {
///     M::fit(data, &FitOptions::default())
/// }
/// assert_eq!(BgNbdParams::KIND, RepeatKind::BgNbd);
/// let data = RepeatData::new(&[2, 0, 1, 4, 0, 1], &[30.0, 0.0, 12.0, 35.0, 0.0, 5.0], &[38.0, 20.0, 30.0, 39.0, 10.0, 25.0], None)?;
/// let fit: Fit<BgNbdParams> = fit_any(&data)?;
/// assert!(fit.log_likelihood.is_finite());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub trait RepeatFit: RepeatModel + Sized {
    /// The model's name.
    const KIND: RepeatKind;

    /// The maximum-likelihood fit on `data`.
    ///
    /// # Errors
    /// The model's fit errors (for example data without customers).
    fn fit(data: &RepeatData, options: &FitOptions) -> Result<Fit<Self>>;
}

/// `f(x, t_x, T)` once per distinct customer of the columns, in row order;
/// an error of `f` is reported at the first row with that customer.
///
/// # Errors
/// [`Error::LengthMismatch`]; an impossible (x, t_x, T) as
/// [`Error::InvalidValue`] at its row (see [`at_row`]); `f`'s other errors.
pub(crate) fn per_distinct<T: Clone + Send>(
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    f: impl Fn(u32, f64, f64) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    check_columns(frequency, recency, age)?;
    per_key(
        frequency.len(),
        |i| (frequency[i], recency[i].to_bits(), age[i].to_bits()),
        |i| f(frequency[i], recency[i], age[i]).map_err(|e| at_row(e, i)),
    )
}

/// Predictions of a model whose expected purchases factor as
/// P(alive at T | x, t_x, T) · g(x, T), g the expected purchases of a
/// customer known to be alive at T (BG/NBD and MBG/NBD: Fader, Hardie & Lee
/// 2005, eq. 10, and docs/metrics.md, "Retention models"): g once per
/// distinct (x, T), P(alive) per row, both in parallel with the `parallel`
/// feature. Same numbers as the model's one-customer functions row by row.
///
/// # Errors
/// As [`per_distinct`]; `p_alive`'s and `if_alive`'s errors at their row.
pub(crate) fn predict_factored(
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    horizon: f64,
    p_alive: impl Fn(f64, f64, f64) -> f64 + Sync,
    if_alive: impl Fn(f64, f64) -> Result<f64> + Sync + Send,
) -> Result<Predictions> {
    const BLOCK: usize = 1 << 16;
    crate::error::check_non_negative(horizon, "horizon")?;
    check_columns(frequency, recency, age)?;
    let n = frequency.len();
    let scale = if horizon == 0.0 {
        vec![0.0; n]
    } else {
        per_key(
            n,
            |i| (frequency[i], age[i].to_bits()),
            |i| if_alive(f64::from(frequency[i]), age[i]).map_err(|e| at_row(e, i)),
        )?
    };
    let blocks: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let parts = crate::log::par_map(blocks, |start| {
        let end = (start + BLOCK).min(n);
        let mut alive = Vec::with_capacity(end - start);
        let mut expected = Vec::with_capacity(end - start);
        for i in start..end {
            let p = p_alive(f64::from(frequency[i]), recency[i], age[i]);
            alive.push(p);
            expected.push(finite(scale[i] * p).map_err(|e| at_row(e, i))?);
        }
        Ok((alive, expected))
    });
    let mut out = Predictions {
        probability_alive: Vec::with_capacity(n),
        expected_purchases: Vec::with_capacity(n),
    };
    for part in parts {
        let (alive, expected) = part?;
        out.probability_alive.extend(alive);
        out.expected_purchases.extend(expected);
    }
    Ok(out)
}

/// [`RepeatModel::discounted_purchases`] of a model whose E[Y(t) | x, t_x, T]
/// is P(alive | x, t_x, T) times a part that depends on (x, T) only (BG/NBD,
/// MBG/NBD, see [`predict_factored`]): the discounted sum of that part over
/// the periods of `options` once per distinct (x, T), times each row's
/// P(alive). The same sum as the default method's, with P(alive) taken out
/// of it (equal to rounding).
///
/// # Errors
/// As [`RepeatModel::discounted_purchases`].
pub(crate) fn discounted_factored(
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    options: &ClvOptions,
    p_alive: impl Fn(f64, f64, f64) -> f64 + Sync,
    if_alive: impl Fn(f64, f64, f64) -> Result<f64> + Sync + Send,
) -> Result<Vec<f64>> {
    const BLOCK: usize = 1 << 16;
    options.check()?;
    check_columns(frequency, recency, age)?;
    let n = frequency.len();
    let part = per_key(
        n,
        |i| (frequency[i], age[i].to_bits()),
        |i| {
            let (x, t) = (f64::from(frequency[i]), age[i]);
            options
                .discounted_sum(|h| if h == 0.0 { Ok(0.0) } else { if_alive(x, t, h) })
                .map_err(|e| at_row(e, i))
        },
    )?;
    // P(alive) row by row, in blocks on rayon's pool (as in
    // `predict_factored`); the first error in row order is the one returned.
    let blocks: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let parts = crate::log::par_map(blocks, |start| {
        (start..(start + BLOCK).min(n))
            .map(|i| {
                let p = p_alive(f64::from(frequency[i]), recency[i], age[i]);
                finite(part[i] * p).map_err(|e| at_row(e, i))
            })
            .collect::<Result<Vec<f64>>>()
    });
    let mut out = Vec::with_capacity(n);
    for block in parts {
        out.extend(block?);
    }
    Ok(out)
}

/// Same lengths, and every row a possible (x, t_x, T).
///
/// # Errors
/// [`Error::LengthMismatch`], or [`Error::InvalidValue`] at the first
/// impossible row.
pub(crate) fn check_columns(frequency: &[u32], recency: &[f64], age: &[f64]) -> Result<()> {
    let n = frequency.len();
    for (column, len) in [("recency", recency.len()), ("age", age.len())] {
        if len != n {
            return Err(Error::LengthMismatch {
                column,
                expected: n,
                got: len,
            });
        }
    }
    for (i, ((&x, &tx), &t)) in frequency.iter().zip(recency).zip(age).enumerate() {
        check_customer(x, tx, t).map_err(|e| at_row(e, i))?;
    }
    Ok(())
}

/// `eval(i)` once per distinct `key(i)` over rows `0..n` (evaluated at the
/// first row with the key, in parallel with the `parallel` feature), and
/// the value of each row's key, in row order.
///
/// # Errors
/// The first error of `eval`, in the order of first rows.
pub(crate) fn per_key<K: std::hash::Hash + Eq, T: Clone + Send>(
    n: usize,
    key: impl Fn(usize) -> K,
    eval: impl Fn(usize) -> Result<T> + Sync + Send,
) -> Result<Vec<T>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut firsts: Vec<usize> = Vec::new();
    let slot: Vec<usize> = (0..n)
        .map(|i| {
            *index.entry(key(i)).or_insert_with(|| {
                firsts.push(i);
                firsts.len() - 1
            })
        })
        .collect();
    let values = crate::log::par_map(firsts, eval)
        .into_iter()
        .collect::<Result<Vec<T>>>()?;
    Ok(slot.into_iter().map(|k| values[k].clone()).collect())
}

/// A customer's impossible (x, t_x, T) as [`Error::InvalidValue`] of its
/// column (`"frequency"`, `"recency"` or `"age"`) at `row`; other errors,
/// about the parameters or options, as they are.
pub(crate) fn at_row(e: Error, row: usize) -> Error {
    match e {
        Error::InvalidArgument {
            name: column @ ("frequency" | "recency" | "age"),
            reason,
        } => Error::InvalidValue {
            column,
            row,
            reason,
        },
        other => other,
    }
}

/// The name of a repeat-purchase model (its string forms in
/// [`crate::names`]).
///
/// # Examples
/// ```
/// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
/// assert_eq!(RepeatKind::ParetoNbd.label(), "Pareto/NBD");
/// assert_eq!(serde_json::to_string(&RepeatKind::MbgNbd).unwrap(), r#""mbg_nbd""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RepeatKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    BgNbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    MbgNbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    ParetoNbd,
}

impl RepeatKind {
    /// The model's name in reports: `"BG/NBD"`, `"MBG/NBD"`, `"Pareto/NBD"`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// assert_eq!(RepeatKind::BgNbd.label(), "BG/NBD");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            RepeatKind::BgNbd => "BG/NBD",
            RepeatKind::MbgNbd => "MBG/NBD",
            RepeatKind::ParetoNbd => "Pareto/NBD",
        }
    }

    /// The names of its four parameters, in the published order of
    /// [`RepeatParams::values`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// assert_eq!(RepeatKind::ParetoNbd.parameter_names(), ["r", "alpha", "s", "beta"]);
    /// ```
    pub fn parameter_names(self) -> [&'static str; 4] {
        match self {
            RepeatKind::BgNbd | RepeatKind::MbgNbd => ["r", "alpha", "a", "b"],
            RepeatKind::ParetoNbd => ["r", "alpha", "s", "beta"],
        }
    }
}

/// The parameters of any repeat-purchase model. With serde, an object with
/// the model's name under `"model"` and its parameters by name:
/// `{"model": "bg_nbd", "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}`.
///
/// # Examples
/// ```
/// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
/// let p = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?; // FHL 2005, CDNOW
/// let json = serde_json::to_value(p).unwrap();
/// assert_eq!((json["model"].as_str(), json["b"].as_f64()), (Some("bg_nbd"), Some(2.426)));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "model", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RepeatParams {
    /// BG/NBD.
    BgNbd(BgNbdParams),
    /// MBG/NBD.
    MbgNbd(MbgNbdParams),
    /// Pareto/NBD.
    ParetoNbd(ParetoNbdParams),
}

/// `$body` with `$p` bound to the parameters `$m` holds.
macro_rules! each {
    ($m:expr, $p:ident => $body:expr) => {
        match $m {
            RepeatParams::BgNbd($p) => $body,
            RepeatParams::MbgNbd($p) => $body,
            RepeatParams::ParetoNbd($p) => $body,
        }
    };
}

impl RepeatParams {
    /// Typed-in parameters of model `kind`, in the order of
    /// [`RepeatKind::parameter_names`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless all are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// let p = RepeatParams::new(RepeatKind::ParetoNbd, [0.55, 10.58, 0.61, 11.67])?; // FHL 2005's Pareto/NBD on CDNOW
    /// assert_eq!(p.kind(), RepeatKind::ParetoNbd);
    /// assert!(RepeatParams::new(RepeatKind::BgNbd, [0.2, -1.0, 0.8, 2.4]).is_err()); // alpha < 0
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(kind: RepeatKind, [p0, p1, p2, p3]: [f64; 4]) -> Result<Self> {
        Ok(match kind {
            RepeatKind::BgNbd => Self::BgNbd(BgNbdParams::new(p0, p1, p2, p3)?),
            RepeatKind::MbgNbd => Self::MbgNbd(MbgNbdParams::new(p0, p1, p2, p3)?),
            RepeatKind::ParetoNbd => Self::ParetoNbd(ParetoNbdParams::new(p0, p1, p2, p3)?),
        })
    }

    /// Which model.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{bg_nbd::BgNbdParams, repeat::{RepeatKind, RepeatParams}};
    /// let p: RepeatParams = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?.into();
    /// assert_eq!(p.kind(), RepeatKind::BgNbd);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn kind(&self) -> RepeatKind {
        match self {
            Self::BgNbd(_) => RepeatKind::BgNbd,
            Self::MbgNbd(_) => RepeatKind::MbgNbd,
            Self::ParetoNbd(_) => RepeatKind::ParetoNbd,
        }
    }

    /// The four parameters in the order of [`RepeatKind::parameter_names`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// let p = RepeatParams::new(RepeatKind::MbgNbd, [0.5, 6.0, 1.2, 3.4])?;
    /// assert_eq!(p.values(), [0.5, 6.0, 1.2, 3.4]); // in the order of parameter_names
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn values(&self) -> [f64; 4] {
        match *self {
            Self::BgNbd(p) => [p.r, p.alpha, p.a, p.b],
            Self::MbgNbd(p) => [p.r, p.alpha, p.a, p.b],
            Self::ParetoNbd(p) => [p.r, p.alpha, p.s, p.beta],
        }
    }
}

impl From<BgNbdParams> for RepeatParams {
    fn from(p: BgNbdParams) -> Self {
        Self::BgNbd(p)
    }
}

impl From<MbgNbdParams> for RepeatParams {
    fn from(p: MbgNbdParams) -> Self {
        Self::MbgNbd(p)
    }
}

impl From<ParetoNbdParams> for RepeatParams {
    fn from(p: ParetoNbdParams) -> Self {
        Self::ParetoNbd(p)
    }
}

impl RepeatModel for RepeatParams {
    fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        each!(self, p => p.probability_alive(frequency, recency, age))
    }

    fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        each!(self, p => RepeatModel::expected_purchases(p, frequency, recency, age, horizon))
    }

    fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        each!(self, p => RepeatModel::expected_purchases_new(p, horizon))
    }

    fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions> {
        each!(self, p => RepeatModel::predict(p, summary, horizon))
    }

    fn predict_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        each!(self, p => p.predict_columns(frequency, recency, age, horizon))
    }

    fn discounted_purchases(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        each!(self, p => p.discounted_purchases(frequency, recency, age, options))
    }

    fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        each!(self, p => RepeatModel::probability_of_purchases_new(p, horizon, n))
    }

    fn probability_of_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
        n: u32,
    ) -> Result<f64> {
        each!(self, p => RepeatModel::probability_of_purchases(p, frequency, recency, age, horizon, n))
    }

    fn probability_alive_at(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        each!(self, p => RepeatModel::probability_alive_at(p, frequency, recency, age, horizon))
    }

    fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        each!(self, p => RepeatModel::dert(p, frequency, recency, age, discount_rate))
    }

    fn log_likelihood(&self, data: &RepeatData) -> f64 {
        each!(self, p => RepeatModel::log_likelihood(p, data))
    }
}

/// The maximum-likelihood fit of model `kind` on `data`.
///
/// # Errors
/// The model's fit errors.
///
/// # Examples
/// ```
/// use retentionkit::demo::{shop, DemoOptions};
/// use retentionkit::prelude::*;
/// // 2,000 customers of the demo shop (simulated from an MBG/NBD), in weeks.
/// let orders = shop(&DemoOptions { customers: 2_000, ..DemoOptions::default() })?;
/// let s = summary(&orders.log()?, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
/// let data = RepeatData::from_summary(&s)?;
/// let fit = fit_repeat(RepeatKind::MbgNbd, &data, &FitOptions::default())?;
/// assert_eq!((fit.params.kind(), fit.status), (RepeatKind::MbgNbd, FitStatus::Converged));
/// assert_eq!(fit.observations, 2_000.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_repeat(
    kind: RepeatKind,
    data: &RepeatData,
    options: &FitOptions,
) -> Result<Fit<RepeatParams>> {
    Ok(match kind {
        RepeatKind::BgNbd => fit_bg_nbd(data, options)?.into_repeat(),
        RepeatKind::MbgNbd => fit_mbg_nbd(data, options)?.into_repeat(),
        RepeatKind::ParetoNbd => fit_pareto_nbd(data, options)?.into_repeat(),
    })
}

impl<P: Into<RepeatParams>> Fit<P> {
    /// The fit of one repeat model as a fit of [`RepeatParams`], the form
    /// [`fit_repeat`] returns and the interval functions take
    /// ([`crate::models::interval`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::fit_bg_nbd;
    /// use retentionkit::models::repeat::RepeatKind;
    /// use retentionkit::models::RepeatData;
    /// use retentionkit::optim::FitOptions;
    /// let data = RepeatData::new(&[2, 0, 1, 4], &[30.0, 0.0, 12.0, 35.0], &[38.0, 20.0, 30.0, 39.0], None)?;
    /// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    /// let ll = fit.log_likelihood;
    /// let any = fit.into_repeat();
    /// assert_eq!(any.params.kind(), RepeatKind::BgNbd);
    /// assert_eq!(any.log_likelihood, ll);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn into_repeat(self) -> Fit<RepeatParams> {
        Fit {
            params: self.params.into(),
            standard_errors: self.standard_errors.map(Into::into),
            log_likelihood: self.log_likelihood,
            parameters: self.parameters,
            observations: self.observations,
            iterations: self.iterations,
            status: self.status,
        }
    }
}

/// The trait impls of a model type whose inherent methods carry the formulas.
macro_rules! repeat_impl {
    ($ty:ty, $kind:ident, $fit:ident) => {
        impl RepeatFit for $ty {
            const KIND: RepeatKind = RepeatKind::$kind;

            fn fit(data: &RepeatData, options: &FitOptions) -> Result<Fit<Self>> {
                $fit(data, options)
            }
        }
    };
}

repeat_impl!(BgNbdParams, BgNbd, fit_bg_nbd);
repeat_impl!(MbgNbdParams, MbgNbd, fit_mbg_nbd);
repeat_impl!(ParetoNbdParams, ParetoNbd, fit_pareto_nbd);

/// [`RepeatModel`] for a model type from its inherent methods of the same names.
macro_rules! repeat_model_from_inherent {
    ($ty:ty $(, $predict_columns:ident, $discounted_purchases:ident)?) => {
        impl RepeatModel for $ty {
            $(
            fn predict_columns(
                &self,
                frequency: &[u32],
                recency: &[f64],
                age: &[f64],
                horizon: f64,
            ) -> Result<Predictions> {
                <$ty>::$predict_columns(self, frequency, recency, age, horizon)
            }

            fn discounted_purchases(
                &self,
                frequency: &[u32],
                recency: &[f64],
                age: &[f64],
                options: &ClvOptions,
            ) -> Result<Vec<f64>> {
                <$ty>::$discounted_purchases(self, frequency, recency, age, options)
            }
            )?

            fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
                <$ty>::probability_alive(self, frequency, recency, age)
            }

            fn expected_purchases(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                horizon: f64,
            ) -> Result<f64> {
                <$ty>::expected_purchases(self, frequency, recency, age, horizon)
            }

            fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
                <$ty>::expected_purchases_new(self, horizon)
            }

            fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
                <$ty>::probability_of_purchases_new(self, horizon, n)
            }

            fn probability_of_purchases(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                horizon: f64,
                n: u32,
            ) -> Result<f64> {
                <$ty>::probability_of_purchases(self, frequency, recency, age, horizon, n)
            }

            fn probability_alive_at(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                horizon: f64,
            ) -> Result<f64> {
                <$ty>::probability_alive_at(self, frequency, recency, age, horizon)
            }

            fn dert(
                &self,
                frequency: u32,
                recency: f64,
                age: f64,
                discount_rate: f64,
            ) -> Result<f64> {
                <$ty>::dert(self, frequency, recency, age, discount_rate)
            }

            fn log_likelihood(&self, data: &RepeatData) -> f64 {
                <$ty>::log_likelihood(self, data)
            }
        }
    };
}

repeat_model_from_inherent!(MbgNbdParams, predict_columns, discounted_purchases);
repeat_model_from_inherent!(ParetoNbdParams);
repeat_model_from_inherent!(NbdParams);

#[cfg(test)]
mod tests;
