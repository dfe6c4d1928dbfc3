//! Delta-method intervals for the BG/BB model (parameters, P(alive),
//! expected transactions in the next opportunities) and the Gamma-Gamma
//! spend model (parameters, each customer's conditional expected mean
//! spend), from the covariance of each fit's estimates.
//!
//! The same route as the repeat models' ([`super::covariance`]): the
//! covariance is the inverse observed information, the Hessian of −LL by
//! central differences of the analytic gradient; a prediction q(θ) has
//! variance ∇q Σ ∇qᵀ, its gradient by central differences with steps
//! 10⁻⁵ θⱼ; intervals are symmetric on the log scale (logit for
//! P(alive)). Source: docs/metrics.md, "Intervals on parameters and
//! predictions".

use std::collections::HashMap;

use super::{delta_n, intervals_on, observed_covariance, Intervals, Scale};
use crate::error::Result;
use crate::models::bg_bb::{self, BgBbData, BgBbParams};
use crate::models::gamma_gamma::{self, GammaGammaParams, SpendData};
use crate::optim::Fit;

/// The asymptotic covariance of a BG/BB fit's estimates (α, β, γ, δ).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BgBbCovariance {
    /// The estimates.
    pub params: BgBbParams,
    /// The 4 × 4 covariance, in the order α, β, γ, δ.
    pub matrix: [[f64; 4]; 4],
}

/// A BG/BB prediction to put an interval on, for the customers (x, t_x, n)
/// of the columns it is evaluated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BgBbQuantity {
    /// Per customer: P(alive at opportunity n + 1)
    /// ([`BgBbParams::probability_alive`]).
    ProbabilityAlive,
    /// Per customer: expected transactions in the next `future`
    /// opportunities ([`BgBbParams::expected_transactions`]).
    ExpectedTransactions {
        /// Opportunities ahead.
        future: u32,
    },
    /// One value: the sum of [`BgBbQuantity::ExpectedTransactions`] over
    /// the customers.
    TotalTransactions {
        /// Opportunities ahead.
        future: u32,
    },
}

impl BgBbQuantity {
    /// The quantity's values at the model `m`, one per customer (one for
    /// the total).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) for columns
    /// of different lengths; the model's errors for an impossible customer
    /// (x, t_x, n).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// use retentionkit::models::interval::BgBbQuantity;
    /// // α = β = γ = δ = 1, x = t_x = n = 1: P(alive) = 2/3 (see
    /// // BgBbParams::probability_alive).
    /// let m = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let v = BgBbQuantity::ProbabilityAlive.evaluate(&m, &[1], &[1], &[1])?;
    /// assert!((v[0] - 2.0 / 3.0).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn evaluate(
        &self,
        m: &BgBbParams,
        frequency: &[u32],
        recency: &[u32],
        opportunities: &[u32],
    ) -> Result<Vec<f64>> {
        for (column, len) in [("recency", recency.len()), ("n", opportunities.len())] {
            if len != frequency.len() {
                return Err(crate::Error::LengthMismatch {
                    column,
                    expected: frequency.len(),
                    got: len,
                });
            }
        }
        // Once per distinct (x, t_x, n): customers over a few opportunities
        // share few histories.
        let per_distinct = |f: &dyn Fn(u32, u32, u32) -> Result<f64>| -> Result<Vec<f64>> {
            let mut seen: HashMap<(u32, u32, u32), f64> = HashMap::new();
            frequency
                .iter()
                .zip(recency)
                .zip(opportunities)
                .map(|((&x, &tx), &n)| {
                    if let Some(&v) = seen.get(&(x, tx, n)) {
                        return Ok(v);
                    }
                    let v = f(x, tx, n)?;
                    seen.insert((x, tx, n), v);
                    Ok(v)
                })
                .collect()
        };
        match *self {
            BgBbQuantity::ProbabilityAlive => {
                per_distinct(&|x, tx, n| m.probability_alive(x, tx, n))
            }
            BgBbQuantity::ExpectedTransactions { future } => {
                per_distinct(&|x, tx, n| m.expected_transactions(x, tx, n, future))
            }
            BgBbQuantity::TotalTransactions { future } => {
                let each = BgBbQuantity::ExpectedTransactions { future }.evaluate(
                    m,
                    frequency,
                    recency,
                    opportunities,
                )?;
                Ok(vec![each.iter().sum()])
            }
        }
    }

    fn scale(self) -> Scale {
        match self {
            BgBbQuantity::ProbabilityAlive => Scale::Logit,
            _ => Scale::Log,
        }
    }
}

fn bg_bb_of(v: &[f64]) -> Result<BgBbParams> {
    BgBbParams::new(v[0], v[1], v[2], v[3])
}

/// The covariance of a BG/BB fit's estimates on `data` (the data it was
/// fitted on).
///
/// # Formula
/// $$ \hat\Sigma = \left(-\nabla^2 \ell(\hat\theta)\right)^{-1} $$
/// with ℓ the BG/BB log-likelihood (Fader, Hardie & Shang 2010, eq. 5).
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `fit`
/// when the fit did not converge or the observed information is not
/// positive definite at its estimates.
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
/// use retentionkit::models::interval::bg_bb_covariance;
/// use retentionkit::optim::FitOptions;
/// let data = BgBbData::new(&[0, 1, 2, 4, 6], &[0, 1, 5, 6, 6], &[6; 5], Some(&[300, 100, 80, 60, 90]))?;
/// let fit = fit_bg_bb(&data, &FitOptions::default())?;
/// let cov = bg_bb_covariance(&fit, &data)?;
/// let se = fit.standard_errors.unwrap();
/// assert!((cov.standard_errors()[0] - se.alpha).abs() <= 1e-9 * se.alpha);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bg_bb_covariance(fit: &Fit<BgBbParams>, data: &BgBbData) -> Result<BgBbCovariance> {
    let p = fit.params;
    let theta = [p.alpha, p.beta, p.gamma, p.delta];
    let grad = |v: &[f64]| {
        let m = bg_bb_of(v).ok()?;
        let (_, g) = bg_bb::ll_and_gradient(&m, data);
        Some(g.iter().map(|g| -g).collect())
    };
    let inv = observed_covariance(fit.status, &grad, &theta)?;
    let mut matrix = [[0.0; 4]; 4];
    for (row, values) in matrix.iter_mut().zip(&inv) {
        row.copy_from_slice(values);
    }
    Ok(BgBbCovariance { params: p, matrix })
}

impl BgBbCovariance {
    fn theta(&self) -> [f64; 4] {
        let p = self.params;
        [p.alpha, p.beta, p.gamma, p.delta]
    }

    fn rows(&self) -> Vec<&[f64]> {
        self.matrix.iter().map(|r| &r[..]).collect()
    }

    /// The standard errors, √Σᵢᵢ, in the order α, β, γ, δ.
    pub fn standard_errors(&self) -> [f64; 4] {
        [0, 1, 2, 3].map(|i| self.matrix[i][i].sqrt())
    }

    /// Intervals at `level` on α, β, γ, δ: θ̂ exp(±z se/θ̂). Source:
    /// docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// level not strictly between 0 and 1.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        let se = self.standard_errors().to_vec();
        intervals_on(level, self.theta().to_vec(), se, Scale::Log)
    }

    /// Delta-method intervals at `level` on `quantity` for the customers
    /// (x, t_x, n) of the columns.
    ///
    /// # Formula
    /// As [`ParameterCovariance::intervals`](super::ParameterCovariance::intervals),
    /// with q the BG/BB prediction (Fader, Hardie & Shang 2010, eqs. 11
    /// and 13). Source: docs/metrics.md, "Intervals on parameters and
    /// predictions".
    ///
    /// # Errors
    /// As [`BgBbQuantity::evaluate`], and for a level not strictly between
    /// 0 and 1.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
    /// use retentionkit::models::interval::{bg_bb_covariance, BgBbQuantity};
    /// use retentionkit::optim::FitOptions;
    /// let (x, tx, n) = ([0, 1, 2, 4, 6], [0, 1, 5, 6, 6], [6; 5]);
    /// let data = BgBbData::new(&x, &tx, &n, Some(&[300, 100, 80, 60, 90]))?;
    /// let cov = bg_bb_covariance(&fit_bg_bb(&data, &FitOptions::default())?, &data)?;
    /// let q = BgBbQuantity::ExpectedTransactions { future: 5 };
    /// let iv = cov.intervals(&q, &x, &tx, &n, 0.9)?;
    /// assert!(iv.lower[2] < iv.estimate[2] && iv.estimate[2] < iv.upper[2]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn intervals(
        &self,
        quantity: &BgBbQuantity,
        frequency: &[u32],
        recency: &[u32],
        opportunities: &[u32],
        level: f64,
    ) -> Result<Intervals> {
        super::z_of(level)?;
        let (estimate, se) = delta_n(&self.theta(), &self.rows(), |v| {
            quantity.evaluate(&bg_bb_of(v)?, frequency, recency, opportunities)
        })?;
        intervals_on(level, estimate, se, quantity.scale())
    }
}

/// The asymptotic covariance of a Gamma-Gamma fit's estimates (p, q, γ).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GammaGammaCovariance {
    /// The estimates.
    pub params: GammaGammaParams,
    /// The 3 × 3 covariance, in the order p, q, γ.
    pub matrix: [[f64; 3]; 3],
}

fn gamma_gamma_of(v: &[f64]) -> Result<GammaGammaParams> {
    GammaGammaParams::new(v[0], v[1], v[2])
}

/// The covariance of a Gamma-Gamma fit's estimates on `data` (the data it
/// was fitted on).
///
/// # Formula
/// $$ \hat\Sigma = \left(-\nabla^2 \ell(\hat\theta)\right)^{-1} $$
/// with ℓ the Gamma-Gamma log-likelihood of the repeat buyers' mean spends
/// (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 3; Colombo & Jiang 1999).
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `fit`
/// when the fit did not converge or the observed information is not
/// positive definite at its estimates.
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
/// use retentionkit::models::interval::gamma_gamma_covariance;
/// use retentionkit::optim::FitOptions;
/// let x = [1, 2, 5, 3, 1, 4, 2, 6, 1, 3];
/// let m = [20.0, 35.0, 28.0, 60.0, 15.0, 42.0, 25.0, 31.0, 80.0, 22.0];
/// let data = SpendData::new(&x, &m, Some(&[30, 20, 10, 15, 25, 12, 18, 8, 5, 22]))?;
/// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
/// let cov = gamma_gamma_covariance(&fit, &data)?;
/// let iv = cov.mean_spend_intervals(&[2, 0], &[30.0, 0.0], 0.9)?;
/// assert!(iv.lower[0] < iv.estimate[0] && iv.estimate[0] < iv.upper[0]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn gamma_gamma_covariance(
    fit: &Fit<GammaGammaParams>,
    data: &SpendData,
) -> Result<GammaGammaCovariance> {
    let p = fit.params;
    let theta = [p.p, p.q, p.gamma];
    let ll = gamma_gamma::log_likelihood_fn(data);
    let grad = |v: &[f64]| {
        if v.iter().any(|x| *x <= 0.0) {
            return None;
        }
        let (_, g) = ll(v)?;
        Some(g.iter().map(|g| -g).collect())
    };
    let inv = observed_covariance(fit.status, &grad, &theta)?;
    let mut matrix = [[0.0; 3]; 3];
    for (row, values) in matrix.iter_mut().zip(&inv) {
        row.copy_from_slice(values);
    }
    Ok(GammaGammaCovariance { params: p, matrix })
}

impl GammaGammaCovariance {
    fn theta(&self) -> [f64; 3] {
        let p = self.params;
        [p.p, p.q, p.gamma]
    }

    fn rows(&self) -> Vec<&[f64]> {
        self.matrix.iter().map(|r| &r[..]).collect()
    }

    /// The standard errors, √Σᵢᵢ, in the order p, q, γ.
    pub fn standard_errors(&self) -> [f64; 3] {
        [0, 1, 2].map(|i| self.matrix[i][i].sqrt())
    }

    /// Intervals at `level` on p, q, γ: θ̂ exp(±z se/θ̂). Source:
    /// docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// level not strictly between 0 and 1.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        let se = self.standard_errors().to_vec();
        intervals_on(level, self.theta().to_vec(), se, Scale::Log)
    }

    /// Delta-method intervals at `level` on each customer's conditional
    /// expected mean spend ([`GammaGammaParams::expected_mean_spend`]),
    /// for the customers (x, m̄) of the columns, symmetric on the log
    /// scale.
    ///
    /// # Formula
    /// $$ E[M \mid x, \bar m] = \frac{p(\gamma + x \bar m)}{p x + q - 1}, \qquad
    ///    \widehat{\mathrm{se}} = \sqrt{\nabla E^\top \hat\Sigma\\, \nabla E} $$
    /// (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 5), the gradient by
    /// central differences. Source: docs/metrics.md, "Intervals on
    /// parameters and predictions".
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) for columns
    /// of different lengths; the model's errors (a negative mean spend,
    /// p x + q ≤ 1); a level not strictly between 0 and 1.
    pub fn mean_spend_intervals(
        &self,
        frequency: &[u32],
        monetary: &[f64],
        level: f64,
    ) -> Result<Intervals> {
        super::z_of(level)?;
        if monetary.len() != frequency.len() {
            return Err(crate::Error::LengthMismatch {
                column: "monetary_value",
                expected: frequency.len(),
                got: monetary.len(),
            });
        }
        let (estimate, se) = delta_n(&self.theta(), &self.rows(), |v| {
            let g = gamma_gamma_of(v)?;
            frequency
                .iter()
                .zip(monetary)
                .map(|(&x, &m)| g.expected_mean_spend(x, m))
                .collect()
        })?;
        intervals_on(level, estimate, se, Scale::Log)
    }
}

/// What a BG/BB interval is put on, by the name every front-end takes
/// (`as_str`, `FromStr`, serde).
///
/// # Examples
/// ```
/// use retentionkit::models::interval::BgBbTarget;
/// assert_eq!("expected_transactions".parse::<BgBbTarget>()?, BgBbTarget::ExpectedTransactions);
/// assert_eq!(BgBbTarget::TotalTransactions.as_str(), "total_transactions");
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BgBbTarget {
    /// α, β, γ, δ.
    #[default]
    Parameters,
    /// [`BgBbQuantity::ProbabilityAlive`].
    ProbabilityAlive,
    /// [`BgBbQuantity::ExpectedTransactions`].
    ExpectedTransactions,
    /// [`BgBbQuantity::TotalTransactions`].
    TotalTransactions,
}

/// What a Gamma-Gamma interval is put on, by name (`"parameters"`,
/// `"mean_spend"`).
///
/// # Examples
/// ```
/// use retentionkit::models::interval::SpendTarget;
/// assert_eq!("mean_spend".parse::<SpendTarget>()?, SpendTarget::MeanSpend);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SpendTarget {
    /// p, q, γ.
    #[default]
    Parameters,
    /// Each customer's conditional expected mean spend
    /// ([`GammaGammaCovariance::mean_spend_intervals`]).
    MeanSpend,
}

/// Delta-method intervals at `level` on `target` from a BG/BB fit on
/// `data`, the predictions for the customers (x, t_x, n) of `customers`
/// over the next `future` opportunities (the entry point the front-ends
/// call). Source: docs/metrics.md, "Intervals on parameters and
/// predictions".
///
/// # Errors
/// As [`bg_bb_covariance`] and [`BgBbCovariance::intervals`].
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
/// use retentionkit::models::interval::{bg_bb_intervals, BgBbTarget};
/// use retentionkit::optim::FitOptions;
/// let (x, tx, n) = ([0, 1, 2, 4, 6], [0, 1, 5, 6, 6], [6; 5]);
/// let data = BgBbData::new(&x, &tx, &n, Some(&[300, 100, 80, 60, 90]))?;
/// let fit = fit_bg_bb(&data, &FitOptions::default())?;
/// let iv = bg_bb_intervals(&fit, &data, BgBbTarget::TotalTransactions, 5, (&x, &tx, &n), 0.9)?;
/// assert_eq!(iv.estimate.len(), 1);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bg_bb_intervals(
    fit: &Fit<BgBbParams>,
    data: &BgBbData,
    target: BgBbTarget,
    future: u32,
    customers: (&[u32], &[u32], &[u32]),
    level: f64,
) -> Result<Intervals> {
    let cov = bg_bb_covariance(fit, data)?;
    let (x, tx, n) = customers;
    let q = match target {
        BgBbTarget::Parameters => return cov.parameter_intervals(level),
        BgBbTarget::ProbabilityAlive => BgBbQuantity::ProbabilityAlive,
        BgBbTarget::ExpectedTransactions => BgBbQuantity::ExpectedTransactions { future },
        BgBbTarget::TotalTransactions => BgBbQuantity::TotalTransactions { future },
    };
    cov.intervals(&q, x, tx, n, level)
}

/// Delta-method intervals at `level` on `target` from a Gamma-Gamma fit
/// on `data`, the mean spends for the customers (x, m̄) of `customers`
/// (the entry point the front-ends call). Source: docs/metrics.md,
/// "Intervals on parameters and predictions".
///
/// # Errors
/// As [`gamma_gamma_covariance`] and
/// [`GammaGammaCovariance::mean_spend_intervals`].
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
/// use retentionkit::models::interval::{gamma_gamma_intervals, SpendTarget};
/// use retentionkit::optim::FitOptions;
/// let x = [1, 2, 5, 3, 1, 4, 2, 6, 1, 3];
/// let m = [20.0, 35.0, 28.0, 60.0, 15.0, 42.0, 25.0, 31.0, 80.0, 22.0];
/// let data = SpendData::new(&x, &m, Some(&[30, 20, 10, 15, 25, 12, 18, 8, 5, 22]))?;
/// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
/// let iv = gamma_gamma_intervals(&fit, &data, SpendTarget::MeanSpend, (&x, &m), 0.9)?;
/// assert_eq!(iv.estimate.len(), 10);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn gamma_gamma_intervals(
    fit: &Fit<GammaGammaParams>,
    data: &SpendData,
    target: SpendTarget,
    customers: (&[u32], &[f64]),
    level: f64,
) -> Result<Intervals> {
    let cov = gamma_gamma_covariance(fit, data)?;
    match target {
        SpendTarget::Parameters => cov.parameter_intervals(level),
        SpendTarget::MeanSpend => cov.mean_spend_intervals(customers.0, customers.1, level),
    }
}

/// [`bg_bb_intervals`] by `method`: the delta method, or percentile
/// intervals from a [`bg_bb_bootstrap`] with `options`; with the number of
/// replicates that did not converge (0 for the delta method). The entry
/// point of the front-ends' `method` (feature `simulate`).
///
/// # Errors
/// As [`bg_bb_intervals`], [`bg_bb_bootstrap`] and
/// [`ModelBootstrap::<BgBbParams>::intervals`].
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
/// use retentionkit::models::interval::{bg_bb_intervals_by, BgBbTarget, BootstrapOptions, Method};
/// use retentionkit::optim::FitOptions;
/// let (x, tx, n) = ([0, 1, 2, 4, 6], [0, 1, 5, 6, 6], [6; 5]);
/// let data = BgBbData::new(&x, &tx, &n, Some(&[300, 100, 80, 60, 90]))?;
/// let fit = fit_bg_bb(&data, &FitOptions::default())?;
/// let o = BootstrapOptions::default().with_replicates(40);
/// let t = BgBbTarget::Parameters;
/// let (iv, failed) = bg_bb_intervals_by(&fit, &data, t, 0, (&x, &tx, &n), 0.9, Method::Bootstrap, &o)?;
/// assert_eq!((iv.estimate.len(), failed <= 40), (4, true));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[cfg(feature = "simulate")]
#[allow(clippy::too_many_arguments)] // what, for whom, at which level, how
pub fn bg_bb_intervals_by(
    fit: &Fit<BgBbParams>,
    data: &BgBbData,
    target: BgBbTarget,
    future: u32,
    customers: (&[u32], &[u32], &[u32]),
    level: f64,
    method: super::Method,
    options: &super::BootstrapOptions,
) -> Result<(Intervals, usize)> {
    if method == super::Method::Delta {
        return Ok((
            bg_bb_intervals(fit, data, target, future, customers, level)?,
            0,
        ));
    }
    let b = bg_bb_bootstrap(fit, data, options)?;
    let (x, tx, n) = customers;
    let q = match target {
        BgBbTarget::Parameters => return Ok((b.parameter_intervals(level)?, b.failed())),
        BgBbTarget::ProbabilityAlive => BgBbQuantity::ProbabilityAlive,
        BgBbTarget::ExpectedTransactions => BgBbQuantity::ExpectedTransactions { future },
        BgBbTarget::TotalTransactions => BgBbQuantity::TotalTransactions { future },
    };
    Ok((b.intervals(&q, x, tx, n, level)?, b.failed()))
}

/// [`gamma_gamma_intervals`] by `method`, as [`bg_bb_intervals_by`]
/// (feature `simulate`).
///
/// # Errors
/// As [`gamma_gamma_intervals`], [`gamma_gamma_bootstrap`] and
/// [`ModelBootstrap::<GammaGammaParams>::mean_spend_intervals`].
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
/// use retentionkit::models::interval::{gamma_gamma_intervals_by, BootstrapOptions, Method, SpendTarget};
/// use retentionkit::optim::FitOptions;
/// let x = [1, 2, 5, 3, 1, 4, 2, 6, 1, 3];
/// let m = [20.0, 35.0, 28.0, 60.0, 15.0, 42.0, 25.0, 31.0, 80.0, 22.0];
/// let data = SpendData::new(&x, &m, Some(&[30, 20, 10, 15, 25, 12, 18, 8, 5, 22]))?;
/// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
/// let o = BootstrapOptions::default().with_replicates(40);
/// let (iv, _) = gamma_gamma_intervals_by(&fit, &data, SpendTarget::MeanSpend, (&x, &m), 0.9, Method::Bootstrap, &o)?;
/// assert_eq!(iv.estimate.len(), 10);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[cfg(feature = "simulate")]
pub fn gamma_gamma_intervals_by(
    fit: &Fit<GammaGammaParams>,
    data: &SpendData,
    target: SpendTarget,
    customers: (&[u32], &[f64]),
    level: f64,
    method: super::Method,
    options: &super::BootstrapOptions,
) -> Result<(Intervals, usize)> {
    if method == super::Method::Delta {
        return Ok((
            gamma_gamma_intervals(fit, data, target, customers, level)?,
            0,
        ));
    }
    let b = gamma_gamma_bootstrap(fit, data, options)?;
    let iv = match target {
        SpendTarget::Parameters => b.parameter_intervals(level)?,
        SpendTarget::MeanSpend => b.mean_spend_intervals(customers.0, customers.1, level)?,
    };
    Ok((iv, b.failed()))
}

#[cfg(test)]
mod tests;

/// The replicates of a customer bootstrap of a BG/BB or Gamma-Gamma fit
/// ([`bg_bb_bootstrap`], [`gamma_gamma_bootstrap`], feature `simulate`):
/// the estimates of each replicate whose refit converged, `None` for the
/// others (in no interval).
#[cfg(feature = "simulate")]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ModelBootstrap<P> {
    /// The original estimates.
    pub estimate: P,
    /// Every replicate, in index order: `Some` when its refit converged.
    pub replicates: Vec<Option<P>>,
    /// The seed they were drawn with.
    pub seed: u64,
}

#[cfg(feature = "simulate")]
impl<P: Copy> ModelBootstrap<P> {
    /// Replicates whose refit did not converge (or had no customer to fit).
    pub fn failed(&self) -> usize {
        self.replicates.iter().filter(|r| r.is_none()).count()
    }

    /// Percentile intervals of `q` over the converged replicates, its value
    /// at the estimates as `estimate` (as
    /// [`Bootstrap::intervals`](super::Bootstrap::intervals)).
    fn percentile(&self, level: f64, q: impl Fn(&P) -> Result<Vec<f64>>) -> Result<Intervals> {
        super::z_of(level)?;
        let estimate = q(&self.estimate)?;
        let values = self
            .replicates
            .iter()
            .flatten()
            .map(&q)
            .collect::<Result<Vec<_>>>()?;
        super::bootstrap::percentile_intervals(estimate, &values, level)
    }
}

/// Draws `options.replicates` multinomial resamples of the rows' weights
/// and refits each with `refit` (each replicate its own stream of the
/// seed, as [`bootstrap()`](super::bootstrap())).
#[cfg(feature = "simulate")]
fn resampled<P: Send, D: Sync>(
    weights: &[f64],
    options: &super::BootstrapOptions,
    with: impl Fn(Vec<f64>) -> Option<D> + Sync,
    refit: impl Fn(&D) -> Option<P> + Sync,
) -> Result<Vec<Option<P>>> {
    if options.replicates == 0 {
        return Err(crate::error::invalid_arg(
            "replicates",
            "0: at least one is needed",
        ));
    }
    let indices: Vec<u64> = (0..options.replicates as u64).collect();
    Ok(crate::log::par_map(indices, |i| {
        let w = super::bootstrap::resample(weights, &mut super::bootstrap::stream(options.seed, i));
        with(w).as_ref().and_then(&refit)
    }))
}

/// A customer bootstrap of a BG/BB fit on its data: `options.replicates`
/// resamples of the customers (multinomial weights on the rows), each
/// refitted by [`fit_bg_bb`](bg_bb::fit_bg_bb) with `options.fit`; a
/// replicate whose refit does not converge is `None`. Seeded and parallel
/// as [`bootstrap()`](super::bootstrap()). Source: docs/metrics.md,
/// "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `replicates` for 0 replicates.
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
/// use retentionkit::models::interval::{bg_bb_bootstrap, BgBbQuantity, BootstrapOptions};
/// use retentionkit::optim::FitOptions;
/// let (x, tx, n) = ([0, 1, 2, 4, 6], [0, 1, 5, 6, 6], [6; 5]);
/// let data = BgBbData::new(&x, &tx, &n, Some(&[300, 100, 80, 60, 90]))?;
/// let fit = fit_bg_bb(&data, &FitOptions::default())?;
/// let o = BootstrapOptions::default().with_replicates(50).with_seed(3);
/// let b = bg_bb_bootstrap(&fit, &data, &o)?;
/// assert_eq!(b, bg_bb_bootstrap(&fit, &data, &o)?); // same seed, same replicates
/// let iv = b.intervals(&BgBbQuantity::TotalTransactions { future: 5 }, &x, &tx, &n, 0.9)?;
/// assert!(iv.lower[0] < iv.upper[0]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[cfg(feature = "simulate")]
pub fn bg_bb_bootstrap(
    fit: &Fit<BgBbParams>,
    data: &BgBbData,
    options: &super::BootstrapOptions,
) -> Result<ModelBootstrap<BgBbParams>> {
    let replicates = resampled(
        data.weights(),
        options,
        |w| data.with_weights(w),
        |d| {
            bg_bb::fit_bg_bb(d, &options.fit)
                .ok()
                .filter(|f| f.status == crate::optim::FitStatus::Converged)
                .map(|f| f.params)
        },
    )?;
    Ok(ModelBootstrap {
        estimate: fit.params,
        replicates,
        seed: options.seed,
    })
}

#[cfg(feature = "simulate")]
impl ModelBootstrap<BgBbParams> {
    /// Percentile intervals at `level` on α, β, γ, δ over the converged
    /// replicates.
    ///
    /// # Errors
    /// A level not strictly between 0 and 1; fewer than 2 converged
    /// replicates.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        self.percentile(level, |p| Ok(vec![p.alpha, p.beta, p.gamma, p.delta]))
    }

    /// Percentile intervals at `level` on `quantity` for the customers
    /// (x, t_x, n) of the columns over the converged replicates.
    ///
    /// # Errors
    /// As [`BgBbQuantity::evaluate`] and
    /// [`ModelBootstrap::<BgBbParams>::parameter_intervals`].
    pub fn intervals(
        &self,
        quantity: &BgBbQuantity,
        frequency: &[u32],
        recency: &[u32],
        opportunities: &[u32],
        level: f64,
    ) -> Result<Intervals> {
        self.percentile(level, |p| {
            quantity.evaluate(p, frequency, recency, opportunities)
        })
    }
}

/// A customer bootstrap of a Gamma-Gamma fit on its data (the repeat
/// buyers' rows), as [`bg_bb_bootstrap`], each replicate refitted by
/// [`fit_gamma_gamma`](gamma_gamma::fit_gamma_gamma) with `options.fit`.
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `replicates` for 0 replicates.
///
/// # Examples
/// ```
/// use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
/// use retentionkit::models::interval::{gamma_gamma_bootstrap, BootstrapOptions};
/// use retentionkit::optim::FitOptions;
/// let x = [1, 2, 5, 3, 1, 4, 2, 6, 1, 3];
/// let m = [20.0, 35.0, 28.0, 60.0, 15.0, 42.0, 25.0, 31.0, 80.0, 22.0];
/// let data = SpendData::new(&x, &m, Some(&[30, 20, 10, 15, 25, 12, 18, 8, 5, 22]))?;
/// let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
/// let b = gamma_gamma_bootstrap(&fit, &data, &BootstrapOptions::default().with_replicates(50))?;
/// let iv = b.mean_spend_intervals(&[2], &[30.0], 0.9)?;
/// assert!(iv.lower[0] < iv.upper[0]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[cfg(feature = "simulate")]
pub fn gamma_gamma_bootstrap(
    fit: &Fit<GammaGammaParams>,
    data: &SpendData,
    options: &super::BootstrapOptions,
) -> Result<ModelBootstrap<GammaGammaParams>> {
    let replicates = resampled(
        data.weights(),
        options,
        |w| data.with_weights(w),
        |d| {
            gamma_gamma::fit_gamma_gamma(d, &options.fit)
                .ok()
                .filter(|f| f.status == crate::optim::FitStatus::Converged)
                .map(|f| f.params)
        },
    )?;
    Ok(ModelBootstrap {
        estimate: fit.params,
        replicates,
        seed: options.seed,
    })
}

#[cfg(feature = "simulate")]
impl ModelBootstrap<GammaGammaParams> {
    /// Percentile intervals at `level` on p, q, γ over the converged
    /// replicates.
    ///
    /// # Errors
    /// A level not strictly between 0 and 1; fewer than 2 converged
    /// replicates.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        self.percentile(level, |p| Ok(vec![p.p, p.q, p.gamma]))
    }

    /// Percentile intervals at `level` on each customer's conditional
    /// expected mean spend for the customers (x, m̄) of the columns.
    ///
    /// # Errors
    /// Columns of different lengths; the model's errors at a converged
    /// replicate (p x + q ≤ 1); as
    /// [`ModelBootstrap::<GammaGammaParams>::parameter_intervals`].
    pub fn mean_spend_intervals(
        &self,
        frequency: &[u32],
        monetary: &[f64],
        level: f64,
    ) -> Result<Intervals> {
        if monetary.len() != frequency.len() {
            return Err(crate::Error::LengthMismatch {
                column: "monetary_value",
                expected: frequency.len(),
                got: monetary.len(),
            });
        }
        self.percentile(level, |g| {
            frequency
                .iter()
                .zip(monetary)
                .map(|(&x, &m)| g.expected_mean_spend(x, m))
                .collect()
        })
    }
}
