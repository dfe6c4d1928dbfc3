//! Intervals on the repeat models' parameters and predictions (BG/NBD,
//! MBG/NBD, Pareto/NBD): per-customer expected purchases, P(alive), the
//! total expected purchases of a set of customers, and CLV.
//!
//! Three routes, each a [`Intervals`] or a [`TotalPurchasesPrediction`]:
//!
//! - the **delta method** ([`covariance`], [`ParameterCovariance::intervals`]):
//!   the covariance of the estimates is the inverse observed information
//!   (as the fits' standard errors), and a prediction q(θ) has variance
//!   ∇q Σ ∇qᵀ, its gradient by central differences;
//! - the **customer bootstrap** ([`bootstrap()`], feature `simulate`):
//!   customers resampled with replacement, as multinomial weights on the
//!   rows of the data, each replicate refitted; percentile intervals;
//! - **prediction intervals** for the total purchases of the customers in a
//!   future period ([`predict_total_purchases`], feature `simulate`), with
//!   the purchase process's own noise drawn from each customer's predictive
//!   distribution.
//!
//! Source: docs/metrics.md, "Intervals on parameters and predictions".
//!
//! ```
//! use retentionkit::models::interval::{covariance, Quantity};
//! use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatParams};
//! use retentionkit::models::{simulate, RepeatData};
//! use retentionkit::optim::FitOptions;
//! // 1,000 customers drawn at the CDNOW BG/NBD estimates, observed 39 weeks.
//! let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
//! let sim = simulate::repeat(&truth, &[39.0; 1000], 1)?;
//! let (x, tx, t) = (&sim.frequency, &sim.recency, &sim.age);
//! let data = RepeatData::grouped(x, tx, t, None)?;
//! let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
//! let cov = covariance(&fit, &data)?;
//! // 90 % intervals on each customer's expected purchases in the next 10 weeks.
//! let iv = cov.intervals(&Quantity::ExpectedPurchases { horizon: 10.0 }, x, tx, t, 0.9)?;
//! assert!(iv.lower[0] < iv.estimate[0] && iv.estimate[0] < iv.upper[0]);
//! # Ok::<(), retentionkit::Error>(())
//! ```

use crate::error::{invalid_arg, Result};
#[cfg(doc)]
use crate::models::check::tracking;
use crate::models::check::{clv_values, ClvOptions, Tracking, TrackingBase};
use crate::models::data::RepeatData;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::repeat::{per_distinct, RepeatKind, RepeatModel, RepeatParams};
use crate::models::{bg_nbd, mbg_nbd, pareto_nbd};
use crate::optim::{Fit, FitStatus};
use crate::special::normal_quantile;

#[cfg(feature = "simulate")]
mod bootstrap;
mod discrete_and_spend;
#[cfg(feature = "simulate")]
pub use discrete_and_spend::{
    bg_bb_bootstrap, bg_bb_intervals_by, gamma_gamma_bootstrap, gamma_gamma_intervals_by,
    ModelBootstrap,
};
pub use discrete_and_spend::{
    bg_bb_covariance, bg_bb_intervals, gamma_gamma_covariance, gamma_gamma_intervals,
    BgBbCovariance, BgBbQuantity, BgBbTarget, GammaGammaCovariance, SpendTarget,
};
#[cfg(feature = "simulate")]
mod request;
#[cfg(feature = "simulate")]
pub use bootstrap::{
    bootstrap, predict_total_purchases, Bootstrap, BootstrapOptions, Replicate,
    TotalPurchasesPrediction,
};
#[cfg(feature = "simulate")]
pub use request::{
    fit_intervals, fit_prediction_interval, ClvInputs, Customers, FitIntervals, FitPrediction,
    IntervalRequest, Method, Target,
};

/// The two-sided level the front-ends use when none is given: 90 %.
pub const DEFAULT_LEVEL: f64 = 0.9;

/// A prediction to put an interval on, for the customers (x, t_x, T) of
/// the columns it is evaluated on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Quantity<'a> {
    /// Per customer: expected purchases in `(T, T + horizon]`
    /// ([`RepeatModel::expected_purchases`]).
    ExpectedPurchases {
        /// The horizon, in the data's time unit.
        horizon: f64,
    },
    /// Per customer: the probability of being alive at T
    /// ([`RepeatModel::probability_alive`]).
    ProbabilityAlive,
    /// One value: the expected purchases of all the customers together in
    /// their next `horizon` (the sum of [`Quantity::ExpectedPurchases`]).
    TotalPurchases {
        /// The horizon, in the data's time unit.
        horizon: f64,
    },
    /// One value: Σᵢ wᵢ Eᵢ, the expected purchases of rows that stand for
    /// `weights[i]` customers each (a compressed summary's rows, or
    /// lifetimes-style weighted data) together in their next `horizon`.
    WeightedTotalPurchases {
        /// The horizon, in the data's time unit.
        horizon: f64,
        /// How many customers each row stands for, one per row (finite,
        /// ≥ 0).
        weights: &'a [f64],
    },
    /// Per customer: the discounted CLV of [`crate::models::check::clv`],
    /// with the Gamma-Gamma spend model `spend` held fixed (only the
    /// purchase model's uncertainty is in the interval).
    Clv {
        /// The spend model.
        spend: GammaGammaParams,
        /// Each customer's mean repeat spend, one per row.
        monetary: &'a [f64],
        /// The CLV's periods and discount (for example
        /// [`ValueOptions::clv`](crate::models::check::ValueOptions)).
        options: ClvOptions,
    },
    /// One value: the sum of [`Quantity::Clv`] over the customers, the
    /// spend model held fixed as there.
    TotalClv {
        /// The spend model.
        spend: GammaGammaParams,
        /// Each customer's mean repeat spend, one per row.
        monetary: &'a [f64],
        /// The CLV's periods and discount.
        options: ClvOptions,
    },
    /// One value: Σᵢ wᵢ CLVᵢ, the total [`Quantity::Clv`] of rows that
    /// stand for `weights[i]` customers each, the spend model held fixed.
    WeightedTotalClv {
        /// The spend model.
        spend: GammaGammaParams,
        /// Each row's mean repeat spend.
        monetary: &'a [f64],
        /// The CLV's periods and discount.
        options: ClvOptions,
        /// How many customers each row stands for, one per row (finite,
        /// ≥ 0).
        weights: &'a [f64],
    },
}

/// The scale an interval is symmetric on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// ln q: positive quantities (purchases, CLV, parameters).
    Log,
    /// ln(q / (1 − q)): probabilities.
    Logit,
}

impl Quantity<'_> {
    /// The quantity's values at the model `m`, one per customer (one in all
    /// for the totals).
    ///
    /// # Errors
    /// As [`RepeatModel::predict_columns`] and
    /// [`clv_values`].
    pub fn evaluate(
        &self,
        m: &impl RepeatModel,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
    ) -> Result<Vec<f64>> {
        match *self {
            Quantity::ExpectedPurchases { horizon } => {
                crate::error::check_non_negative(horizon, "horizon")?;
                per_distinct(frequency, recency, age, |x, tx, t| {
                    m.expected_purchases(x, tx, t, horizon)
                })
            }
            Quantity::ProbabilityAlive => per_distinct(frequency, recency, age, |x, tx, t| {
                m.probability_alive(x, tx, t)
            }),
            Quantity::TotalPurchases { horizon } => {
                let each =
                    Quantity::ExpectedPurchases { horizon }.evaluate(m, frequency, recency, age)?;
                Ok(vec![each.iter().sum()])
            }
            Quantity::WeightedTotalPurchases { horizon, weights } => {
                check_weights(weights, frequency.len())?;
                let each =
                    Quantity::ExpectedPurchases { horizon }.evaluate(m, frequency, recency, age)?;
                Ok(vec![each.iter().zip(weights).map(|(e, w)| e * w).sum()])
            }
            Quantity::Clv {
                spend,
                monetary,
                options,
            } => clv_values(m, &spend, frequency, recency, age, monetary, &options),
            Quantity::TotalClv {
                spend,
                monetary,
                options,
            } => Ok(vec![clv_values(
                m, &spend, frequency, recency, age, monetary, &options,
            )?
            .iter()
            .sum()]),
            Quantity::WeightedTotalClv {
                spend,
                monetary,
                options,
                weights,
            } => {
                check_weights(weights, frequency.len())?;
                let each = clv_values(m, &spend, frequency, recency, age, monetary, &options)?;
                Ok(vec![each.iter().zip(weights).map(|(v, w)| v * w).sum()])
            }
        }
    }

    pub(crate) fn scale(&self) -> Scale {
        match self {
            Quantity::ProbabilityAlive => Scale::Logit,
            _ => Scale::Log,
        }
    }
}

/// `Ok` for `rows` finite, non-negative weights.
///
/// # Errors
/// [`crate::Error::LengthMismatch`] or [`crate::Error::InvalidValue`] of
/// column `weights`.
pub(crate) fn check_weights(weights: &[f64], rows: usize) -> Result<()> {
    if weights.len() != rows {
        return Err(crate::Error::LengthMismatch {
            column: "weights",
            expected: rows,
            got: weights.len(),
        });
    }
    if let Some(row) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(crate::Error::InvalidValue {
            column: "weights",
            row,
            reason: format!("weight {} must be finite and non-negative", weights[row]),
        });
    }
    Ok(())
}

/// Estimates with standard errors and two-sided intervals at `level`, one
/// per customer (or per parameter, or one for a total).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Intervals {
    /// The two-sided level, for example 0.9.
    pub level: f64,
    /// The value at the estimates.
    pub estimate: Vec<f64>,
    /// The standard error: delta method, or the standard deviation of the
    /// bootstrap replicates' values.
    pub standard_error: Vec<f64>,
    /// Lower ends.
    pub lower: Vec<f64>,
    /// Upper ends.
    pub upper: Vec<f64>,
}

/// The normal quantile z of a two-sided level.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `level`
/// unless it is strictly between 0 and 1.
pub(crate) fn z_of(level: f64) -> Result<f64> {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        Ok(normal_quantile(0.5 + 0.5 * level))
    } else {
        Err(invalid_arg(
            "level",
            format!("{level} must be strictly between 0 and 1"),
        ))
    }
}

/// The delta-method interval of `q` with standard error `se` on `scale`:
/// symmetric in g(q) with se(g) = |g'(q)| se (g = ln, or the logit), mapped
/// back. A q on the edge of its range (0, or a probability of 0 or 1) is
/// its own interval.
pub(crate) fn transformed(q: f64, se: f64, z: f64, scale: Scale) -> (f64, f64) {
    match scale {
        Scale::Log if q > 0.0 => {
            let w = z * se / q;
            (q * (-w).exp(), q * w.exp())
        }
        Scale::Logit if q > 0.0 && q < 1.0 => {
            let g = (q / (1.0 - q)).ln();
            let w = z * se / (q * (1.0 - q));
            let back = |v: f64| 1.0 / (1.0 + (-v).exp());
            (back(g - w), back(g + w))
        }
        _ => (q, q),
    }
}

/// A model's log-likelihood and gradient on one data set.
type BoxedLogLikelihood<'a> = Box<dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)> + 'a>;

/// The asymptotic covariance of a repeat model's estimates: the inverse of
/// the observed information (the Hessian of −LL in the natural parameters,
/// by central differences of the analytic gradient), as the fits' standard
/// errors, whose squares are its diagonal.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ParameterCovariance {
    /// The estimates.
    pub params: RepeatParams,
    /// The 4 × 4 covariance, rows and columns in the order of
    /// [`RepeatKind::parameter_names`].
    pub matrix: [[f64; 4]; 4],
}

/// The covariance of a fit's estimates on `data` (the data it was fitted
/// on).
///
/// # Formula
/// $$ \hat\Sigma = \left(-\nabla^2 \ell(\hat\theta)\right)^{-1} $$
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `fit`
/// when the fit did not converge (its status is not
/// [`FitStatus::Converged`]) or the observed information at its estimates
/// is not positive definite: then there is no covariance, and no delta
/// method.
pub fn covariance(fit: &Fit<RepeatParams>, data: &RepeatData) -> Result<ParameterCovariance> {
    let theta = fit.params.values();
    let ll: BoxedLogLikelihood<'_> = match fit.params.kind() {
        RepeatKind::BgNbd => Box::new(bg_nbd::log_likelihood_fn(data)),
        RepeatKind::MbgNbd => Box::new(mbg_nbd::log_likelihood_fn(data)),
        RepeatKind::ParetoNbd => Box::new(pareto_nbd::log_likelihood_fn(data)),
    };
    let grad = |v: &[f64]| {
        if v.iter().any(|x| *x <= 0.0) {
            return None;
        }
        let (_, g) = ll(v)?;
        Some(g.iter().map(|g| -g).collect())
    };
    let inv = observed_covariance(fit.status, &grad, &theta)?;
    let mut matrix = [[0.0; 4]; 4];
    for (row, values) in matrix.iter_mut().zip(&inv) {
        for (m, v) in row.iter_mut().zip(values) {
            *m = *v;
        }
    }
    Ok(ParameterCovariance {
        params: fit.params,
        matrix,
    })
}

impl ParameterCovariance {
    /// The standard errors, √Σᵢᵢ.
    pub fn standard_errors(&self) -> [f64; 4] {
        [0, 1, 2, 3].map(|i| self.matrix[i][i].sqrt())
    }

    /// Intervals at `level` on the four parameters, in the order of
    /// [`RepeatKind::parameter_names`]: θ̂ exp(±z se/θ̂), the normal
    /// interval of ln θ (Source: docs/metrics.md, "Intervals on parameters
    /// and predictions").
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// level not strictly between 0 and 1.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        let z = z_of(level)?;
        let estimate = self.params.values().to_vec();
        let standard_error = self.standard_errors().to_vec();
        let (lower, upper) = estimate
            .iter()
            .zip(&standard_error)
            .map(|(&q, &se)| transformed(q, se, z, Scale::Log))
            .unzip();
        Ok(Intervals {
            level,
            estimate,
            standard_error,
            lower,
            upper,
        })
    }

    /// Delta-method intervals at `level` on `quantity` for the customers of
    /// the columns.
    ///
    /// # Formula
    /// $$ \widehat{\mathrm{se}}(q) = \sqrt{\nabla q^\top \hat\Sigma\\, \nabla q}, \qquad
    ///    \frac{\partial q}{\partial\theta_j} \approx \frac{q(\theta + h_j e_j) - q(\theta - h_j e_j)}{2 h_j},\ h_j = 10^{-5}\theta_j, $$
    /// the interval symmetric on the log scale for purchases and CLV,
    /// $q\\,e^{\pm z\\,\mathrm{se}/q}$, and on the logit scale for P(alive).
    /// Source: docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// As [`Quantity::evaluate`]; [`Error::InvalidArgument`](crate::Error::InvalidArgument)
    /// for a level not strictly between 0 and 1.
    pub fn intervals(
        &self,
        quantity: &Quantity<'_>,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        level: f64,
    ) -> Result<Intervals> {
        let z = z_of(level)?;
        let (estimate, standard_error) =
            delta(self, |m| quantity.evaluate(m, frequency, recency, age))?;
        let scale = quantity.scale();
        let (lower, upper) = estimate
            .iter()
            .zip(&standard_error)
            .map(|(&q, &se)| transformed(q, se, z, scale))
            .unzip();
        Ok(Intervals {
            level,
            estimate,
            standard_error,
            lower,
            upper,
        })
    }

    /// The tracking curve of the estimates ([`tracking`]) with delta-method
    /// intervals at `level` on its expected values: the uncertainty of the
    /// parameters, not the randomness of the purchases themselves. The
    /// returned intervals' `estimate` is the curve's `expected`; the log
    /// is read once for all the parameter values the delta method needs.
    ///
    /// # Formula
    /// As [`ParameterCovariance::intervals`], with q the expected
    /// cumulative repeat purchases at each day of `at` (formula of
    /// [`tracking`]), symmetric on the log scale; a point before any
    /// customer's first day has 0 with the interval [0, 0]. Source:
    /// docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// As [`tracking`], and for a level not strictly between 0 and 1.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::tracking;
    /// use retentionkit::models::interval::ParameterCovariance;
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// use retentionkit::summary::TimeUnit;
    /// use retentionkit::TransactionLog;
    /// // Four customers over 21 weeks; the curve at days 70 and 147.
    /// let log = TransactionLog::new(
    ///     &[1, 1, 1, 2, 2, 3, 4, 4, 4, 4],
    ///     &[0, 20, 60, 5, 100, 14, 3, 30, 70, 140],
    ///     None,
    /// )?;
    /// // FHL (2005)'s CDNOW estimates (weeks), with an illustrative
    /// // covariance: independent estimates, each with a 10 % standard error.
    /// let theta = [0.243, 4.414, 0.793, 2.426];
    /// let mut matrix = [[0.0; 4]; 4];
    /// for i in 0..4 {
    ///     matrix[i][i] = (0.1 * theta[i]) * (0.1 * theta[i]);
    /// }
    /// let cov = ParameterCovariance { params: RepeatParams::new(RepeatKind::BgNbd, theta)?, matrix };
    /// let (curve, band) = cov.tracking_intervals(&log, TimeUnit::Weeks, &[70, 147], 0.9)?;
    /// assert_eq!(curve, tracking(&cov.params, &log, TimeUnit::Weeks, &[70, 147])?);
    /// assert_eq!(curve.actual, [3, 6]); // repeat days before day 70: 20, 60, 30
    /// assert_eq!(band.estimate, curve.expected);
    /// assert!(band.lower[1] < curve.expected[1] && curve.expected[1] < band.upper[1]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn tracking_intervals(
        &self,
        log: &crate::TransactionLog<'_>,
        unit: crate::summary::TimeUnit,
        at: &[i32],
        level: f64,
    ) -> Result<(Tracking, Intervals)> {
        let z = z_of(level)?;
        let base = TrackingBase::new(log, at)?;
        let (estimate, standard_error) = delta(self, |m| base.expected(m, unit))?;
        let (lower, upper) = estimate
            .iter()
            .zip(&standard_error)
            .map(|(&q, &se)| transformed(q, se, z, Scale::Log))
            .unzip();
        let curve = Tracking {
            at: base.at,
            expected: estimate.clone(),
            actual: base.actual,
        };
        Ok((
            curve,
            Intervals {
                level,
                estimate,
                standard_error,
                lower,
                upper,
            },
        ))
    }
}

/// The inverse observed information at `theta` of a fit that ended with
/// `status`, from `grad`, the gradient of −LL in the natural parameters
/// ([`crate::optim`]'s central differences and Cholesky inverse).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `fit`
/// when `status` is not [`FitStatus::Converged`] or the information is not
/// positive definite.
pub(crate) fn observed_covariance(
    status: FitStatus,
    grad: &dyn Fn(&[f64]) -> Option<Vec<f64>>,
    theta: &[f64],
) -> Result<Vec<Vec<f64>>> {
    if status != FitStatus::Converged {
        return Err(invalid_arg(
            "fit",
            format!(
                "the fit's status is {}, not converged: no covariance",
                status.as_str()
            ),
        ));
    }
    crate::optim::covariance(grad, theta).ok_or_else(|| {
        invalid_arg(
            "fit",
            "the observed information is not positive definite at the estimates: no covariance",
        )
    })
}

/// Intervals at `level` from estimates and standard errors, each symmetric
/// on `scale` ([`transformed`]).
///
/// # Errors
/// A level not strictly between 0 and 1.
pub(crate) fn intervals_on(
    level: f64,
    estimate: Vec<f64>,
    standard_error: Vec<f64>,
    scale: Scale,
) -> Result<Intervals> {
    let z = z_of(level)?;
    let (lower, upper) = estimate
        .iter()
        .zip(&standard_error)
        .map(|(&q, &se)| transformed(q, se, z, scale))
        .unzip();
    Ok(Intervals {
        level,
        estimate,
        standard_error,
        lower,
        upper,
    })
}

/// The values of `q` at `theta` and their delta-method standard errors
/// with the covariance `matrix` (rows in the order of `theta`), the
/// gradient by central differences with steps 10⁻⁵ θⱼ: √(∇q Σ ∇qᵀ).
///
/// # Errors
/// `q`'s errors.
pub(crate) fn delta_n(
    theta: &[f64],
    matrix: &[&[f64]],
    q: impl Fn(&[f64]) -> Result<Vec<f64>>,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let k = theta.len();
    let estimate = q(theta)?;
    let mut gradient: Vec<Vec<f64>> = vec![vec![0.0; k]; estimate.len()];
    for j in 0..k {
        let h = 1e-5 * theta[j];
        let (mut up, mut down) = (theta.to_vec(), theta.to_vec());
        up[j] += h;
        down[j] -= h;
        let (qu, qd) = (q(&up)?, q(&down)?);
        for ((g, u), d) in gradient.iter_mut().zip(&qu).zip(&qd) {
            g[j] = (u - d) / (2.0 * h);
        }
    }
    let se = gradient
        .iter()
        .map(|g| {
            let mut v = 0.0;
            for (gi, row) in g.iter().zip(matrix) {
                for (gj, c) in g.iter().zip(row.iter()) {
                    v += gi * c * gj;
                }
            }
            v.max(0.0).sqrt()
        })
        .collect();
    Ok((estimate, se))
}

/// The values of `q` at the estimates and their delta-method standard
/// errors ([`delta_n`]).
///
/// # Errors
/// `q`'s errors.
pub(crate) fn delta(
    cov: &ParameterCovariance,
    q: impl Fn(&RepeatParams) -> Result<Vec<f64>>,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let kind = cov.params.kind();
    let rows: Vec<&[f64]> = cov.matrix.iter().map(|r| &r[..]).collect();
    delta_n(&cov.params.values(), &rows, |v| {
        q(&RepeatParams::new(kind, [v[0], v[1], v[2], v[3]])?)
    })
}

#[cfg(test)]
mod tests;
