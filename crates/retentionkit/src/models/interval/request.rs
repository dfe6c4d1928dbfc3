//! Intervals by name: what to put an interval on and how, as every
//! front-end asks for them (`quantity="total_purchases"`,
//! `method="bootstrap"`), so the names, their defaults and the dispatch are
//! written once (feature `simulate`).

use super::bootstrap::{
    bootstrap, predict_total_purchases, Bootstrap, BootstrapOptions, TotalPurchasesPrediction,
};
use super::{covariance, Intervals, Quantity, DEFAULT_LEVEL};
use crate::error::{invalid_arg, Result};
use crate::models::check::ClvOptions;
use crate::models::data::RepeatData;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::repeat::RepeatParams;
use crate::optim::Fit;

/// What an interval is put on. Its names (`as_str`, `FromStr`, serde) are
/// the ones every front-end takes.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::Target;
/// assert_eq!(Target::TotalPurchases.as_str(), "total_purchases");
/// assert_eq!("probability_alive".parse::<Target>()?, Target::ProbabilityAlive);
/// assert!("alive".parse::<Target>().is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Target {
    /// The model's parameters, in the order of
    /// [`RepeatKind::parameter_names`](crate::models::repeat::RepeatKind::parameter_names).
    #[default]
    Parameters,
    /// Each customer's expected purchases over the horizon
    /// ([`Quantity::ExpectedPurchases`]).
    ExpectedPurchases,
    /// Each customer's probability of being alive
    /// ([`Quantity::ProbabilityAlive`]).
    ProbabilityAlive,
    /// The customers' expected purchases over the horizon, all together
    /// ([`Quantity::TotalPurchases`]).
    TotalPurchases,
    /// Each customer's discounted CLV ([`Quantity::Clv`]), the spend model
    /// held fixed; needs [`IntervalRequest::clv`].
    Clv,
    /// The customers' CLV, all together ([`Quantity::TotalClv`]); needs
    /// [`IntervalRequest::clv`].
    TotalClv,
}

impl Target {
    /// The prediction over `horizon` this target asks for; `None` for the
    /// parameters, and for the CLV targets, which need the spend model and
    /// mean spends of an [`IntervalRequest`] (see [`fit_intervals`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::interval::{Quantity, Target};
    /// assert_eq!(Target::Parameters.quantity(10.0), None);
    /// assert_eq!(
    ///     Target::TotalPurchases.quantity(10.0),
    ///     Some(Quantity::TotalPurchases { horizon: 10.0 })
    /// );
    /// ```
    pub fn quantity(self, horizon: f64) -> Option<Quantity<'static>> {
        match self {
            Target::Parameters | Target::Clv | Target::TotalClv => None,
            Target::ExpectedPurchases => Some(Quantity::ExpectedPurchases { horizon }),
            Target::ProbabilityAlive => Some(Quantity::ProbabilityAlive),
            Target::TotalPurchases => Some(Quantity::TotalPurchases { horizon }),
        }
    }
}

/// How an interval is computed (names `"delta"` and `"bootstrap"`).
///
/// # Examples
/// ```
/// use retentionkit::models::interval::Method;
/// assert_eq!("bootstrap".parse::<Method>()?, Method::Bootstrap);
/// assert_eq!(Method::Delta.as_str(), "delta");
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Method {
    /// The delta method on the parameter covariance
    /// ([`covariance`](super::covariance)).
    #[default]
    Delta,
    /// The customer bootstrap ([`bootstrap()`](super::bootstrap())).
    Bootstrap,
}

/// Intervals of [`fit_intervals`], with how many bootstrap replicates were
/// drawn and how many failed (0 and 0 for the delta method).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FitIntervals {
    /// What the intervals are on.
    pub target: Target,
    /// How they were computed.
    pub method: Method,
    /// The intervals: one per parameter, per customer, or one for a total.
    pub intervals: Intervals,
    /// Bootstrap replicates drawn (0 for the delta method).
    pub replicates: usize,
    /// Bootstrap replicates that did not converge, in no interval (see
    /// [`Bootstrap::failed`](super::Bootstrap::failed)).
    pub failed: usize,
}

/// The customers (x, t_x, T) an interval on a prediction is for.
pub type Customers<'a> = (&'a [u32], &'a [f64], &'a [f64]);

/// What the CLV targets ([`Target::Clv`], [`Target::TotalClv`]) need
/// besides the purchase model: the fitted Gamma-Gamma spend model (held
/// fixed: its own uncertainty is not in the interval), each customer's
/// mean repeat spend (one per row of the customers the intervals are
/// for) and the CLV's periods and discount.
///
/// # Examples
/// ```
/// use retentionkit::models::check::ClvOptions;
/// use retentionkit::models::gamma_gamma::GammaGammaParams;
/// use retentionkit::models::interval::ClvInputs;
/// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let c = ClvInputs::new(spend, &[22.35, 0.0], ClvOptions::default());
/// assert_eq!(c.monetary, [22.35, 0.0]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ClvInputs<'a> {
    /// The spend model.
    pub spend: GammaGammaParams,
    /// Each customer's mean repeat spend, one per row.
    pub monetary: &'a [f64],
    /// The CLV's periods and discount.
    pub options: ClvOptions,
}

impl<'a> ClvInputs<'a> {
    /// The inputs of the CLV targets (see the fields).
    pub fn new(spend: GammaGammaParams, monetary: &'a [f64], options: ClvOptions) -> Self {
        Self {
            spend,
            monetary,
            options,
        }
    }
}

/// What [`fit_intervals`] computes besides its targets: the horizon, for
/// whom, at which level, how, and what the CLV targets need. The default:
/// horizon 0, the data's own rows, [`DEFAULT_LEVEL`], the delta method,
/// [`BootstrapOptions::default`], no CLV inputs.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::{BootstrapOptions, IntervalRequest, Method};
/// let r = IntervalRequest::default()
///     .with_horizon(10.0)
///     .with_customers(Some((&[0, 2], &[0.0, 30.4], &[38.9, 38.9])))
///     .with_weights(Some(&[3.0, 1.0]))
///     .with_level(0.8)
///     .with_method(Method::Bootstrap)
///     .with_bootstrap(BootstrapOptions::default().with_replicates(200))
///     .with_clv(None);
/// assert_eq!((r.horizon, r.level, r.bootstrap.replicates), (10.0, 0.8, 200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct IntervalRequest<'a> {
    /// The horizon of the purchase predictions, in the data's time unit
    /// (the CLV targets take theirs from [`ClvInputs::options`]).
    pub horizon: f64,
    /// The customers of the per-customer and total predictions; `None`:
    /// the rows of the data, each standing for its weight in customers.
    pub customers: Option<Customers<'a>>,
    /// With `customers`: how many customers each of its rows stands for,
    /// in the totals ([`Target::TotalPurchases`], [`Target::TotalClv`]);
    /// `None`: one each.
    pub weights: Option<&'a [f64]>,
    /// The two-sided level, strictly between 0 and 1.
    pub level: f64,
    /// The delta method or the bootstrap.
    pub method: Method,
    /// The bootstrap's replicates, seed and refit options.
    pub bootstrap: BootstrapOptions,
    /// The spend model, mean spends and CLV options of the CLV targets.
    pub clv: Option<ClvInputs<'a>>,
}

impl Default for IntervalRequest<'_> {
    fn default() -> Self {
        Self {
            horizon: 0.0,
            customers: None,
            weights: None,
            level: DEFAULT_LEVEL,
            method: Method::Delta,
            bootstrap: BootstrapOptions::default(),
            clv: None,
        }
    }
}

impl<'a> IntervalRequest<'a> {
    /// This request with `horizon` set (see the field).
    #[must_use]
    pub fn with_horizon(mut self, horizon: f64) -> Self {
        self.horizon = horizon;
        self
    }

    /// This request with `customers` set (see the field).
    #[must_use]
    pub fn with_customers(mut self, customers: Option<Customers<'a>>) -> Self {
        self.customers = customers;
        self
    }

    /// This request with `weights` set (see the field).
    #[must_use]
    pub fn with_weights(mut self, weights: Option<&'a [f64]>) -> Self {
        self.weights = weights;
        self
    }

    /// This request with `level` set (see the field).
    #[must_use]
    pub fn with_level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// This request with `method` set (see the field).
    #[must_use]
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// This request with `bootstrap` set (see the field).
    #[must_use]
    pub fn with_bootstrap(mut self, bootstrap: BootstrapOptions) -> Self {
        self.bootstrap = bootstrap;
        self
    }

    /// This request with `clv` set (see the field).
    #[must_use]
    pub fn with_clv(mut self, clv: Option<ClvInputs<'a>>) -> Self {
        self.clv = clv;
        self
    }
}

/// Intervals at `request.level` on each of `targets` for
/// `request.customers` (when `None`, the rows of `data`, each standing for
/// its weight in customers: their total is Σ wᵢ Eᵢ), from `fit`, the fit on
/// `data`, by `request.method`: one covariance, or one bootstrap of
/// `request.bootstrap.replicates` replicates with its seed and refit
/// options, for all the targets. The purchase predictions are over
/// `request.horizon`; the CLV targets use `request.clv`, the spend model
/// held fixed. The one entry point the front-ends call; one result per
/// target, in their order. Source: docs/metrics.md, "Intervals on
/// parameters and predictions".
///
/// # Errors
/// As [`covariance`](super::covariance) (a fit that did not converge has no
/// delta method), [`bootstrap()`](super::bootstrap()) and the intervals'
/// own calls: a level not strictly between 0 and 1, a negative horizon,
/// columns of different lengths (`monetary_value` among them: one mean
/// spend per customer row, or per data row without customers), weights
/// without customers; [`Error::InvalidArgument`](crate::Error::InvalidArgument)
/// naming `clv` for a CLV target without [`IntervalRequest::clv`].
///
/// # Examples
/// ```
/// use retentionkit::models::check::ClvOptions;
/// use retentionkit::models::gamma_gamma::GammaGammaParams;
/// use retentionkit::models::interval::{fit_intervals, ClvInputs, IntervalRequest, Target};
/// use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatParams};
/// use retentionkit::models::{simulate, RepeatData};
/// use retentionkit::optim::FitOptions;
/// let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
/// let sim = simulate::repeat(&truth, &[39.0; 500], 3)?;
/// let (x, tx, t) = (&sim.frequency[..], &sim.recency[..], &sim.age[..]);
/// let data = RepeatData::grouped(x, tx, t, None)?;
/// let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
/// let targets = [Target::Parameters, Target::TotalPurchases];
/// let r = IntervalRequest::default().with_horizon(10.0);
/// let [params, total] = &fit_intervals(&fit, &data, &targets, &r)?[..] else {
///     unreachable!("one result per target")
/// };
/// assert_eq!(params.intervals.estimate.len(), 4);
/// let iv = &total.intervals;
/// assert_eq!(iv.estimate.len(), 1);
/// assert!(iv.lower[0] < iv.estimate[0] && iv.estimate[0] < iv.upper[0]);
/// assert_eq!((total.replicates, total.failed), (0, 0));
/// // Each customer's CLV, a mean spend of 20 each.
/// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let monetary = vec![20.0; 500];
/// let r = IntervalRequest::default()
///     .with_customers(Some((x, tx, t)))
///     .with_clv(Some(ClvInputs::new(spend, &monetary, ClvOptions::monthly(retentionkit::summary::TimeUnit::Weeks))));
/// let clv = fit_intervals(&fit, &data, &[Target::Clv], &r)?.remove(0).intervals;
/// assert_eq!(clv.estimate.len(), 500);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_intervals(
    fit: &Fit<RepeatParams>,
    data: &RepeatData,
    targets: &[Target],
    request: &IntervalRequest<'_>,
) -> Result<Vec<FitIntervals>> {
    let customers = request.customers;
    if customers.is_none() && request.weights.is_some() {
        return Err(invalid_arg(
            "weights",
            "weights are for given customers: the data's rows have their own",
        ));
    }
    let own = match customers {
        Some(_) => (Vec::new(), Vec::new(), Vec::new()),
        None => data.columns(),
    };
    let (x, tx, t) = customers.unwrap_or((&own.0[..], &own.1[..], &own.2[..]));
    // The data's own rows each stand for `weight` customers, so their
    // totals are weighted.
    let weights = match customers {
        None => Some(data.weights()),
        Some(_) => request.weights,
    };
    let horizon = request.horizon;
    let quantity = |target: Target| -> Result<Option<Quantity<'_>>> {
        let clv = || {
            request.clv.ok_or_else(|| {
                invalid_arg(
                    "clv",
                    format!(
                        "the target {target} needs a Gamma-Gamma model and each customer's mean spend"
                    ),
                )
            })
        };
        Ok(match (target, weights) {
            (Target::TotalPurchases, Some(weights)) => {
                Some(Quantity::WeightedTotalPurchases { horizon, weights })
            }
            (Target::Clv, _) => {
                let c = clv()?;
                Some(Quantity::Clv {
                    spend: c.spend,
                    monetary: c.monetary,
                    options: c.options,
                })
            }
            (Target::TotalClv, None) => {
                let c = clv()?;
                Some(Quantity::TotalClv {
                    spend: c.spend,
                    monetary: c.monetary,
                    options: c.options,
                })
            }
            (Target::TotalClv, Some(weights)) => {
                let c = clv()?;
                Some(Quantity::WeightedTotalClv {
                    spend: c.spend,
                    monetary: c.monetary,
                    options: c.options,
                    weights,
                })
            }
            _ => target.quantity(horizon),
        })
    };
    // Every target's quantity before any work: a missing input is an
    // error before a bootstrap is drawn.
    let quantities = targets
        .iter()
        .map(|&t| quantity(t))
        .collect::<Result<Vec<_>>>()?;
    let level = request.level;
    let method = request.method;
    let mut out = Vec::with_capacity(targets.len());
    match method {
        Method::Delta => {
            let cov = covariance(fit, data)?;
            for (&target, q) in targets.iter().zip(&quantities) {
                let intervals = match q {
                    None => cov.parameter_intervals(level)?,
                    Some(q) => cov.intervals(q, x, tx, t, level)?,
                };
                out.push(FitIntervals {
                    target,
                    method,
                    intervals,
                    replicates: 0,
                    failed: 0,
                });
            }
        }
        Method::Bootstrap => {
            let b = bootstrap(fit, data, &request.bootstrap)?;
            for (&target, q) in targets.iter().zip(&quantities) {
                let intervals = match q {
                    None => b.parameter_intervals(level)?,
                    Some(q) => b.intervals(q, x, tx, t, level)?,
                };
                out.push(FitIntervals {
                    target,
                    method,
                    intervals,
                    replicates: b.replicates.len(),
                    failed: b.failed(),
                });
            }
        }
    }
    Ok(out)
}

/// The prediction interval of [`fit_prediction_interval`], with how many
/// bootstrap replicates were drawn and how many failed (0 and 0 without
/// the bootstrap).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FitPrediction {
    /// The interval and its simulated totals.
    pub prediction: TotalPurchasesPrediction,
    /// Bootstrap replicates drawn (0 for the delta method).
    pub replicates: usize,
    /// Bootstrap replicates that did not converge.
    pub failed: usize,
}

/// The prediction interval at `request.level` for the total purchases of
/// `request.customers` (each row counted `request.weights` times, whole
/// numbers; when `None`, the rows of `data`, each counted by its weight)
/// in their next `request.horizon`, the purchase process's own noise
/// included ([`predict_total_purchases`]) with `draws` simulated totals
/// seeded by `request.bootstrap.seed`. With [`Method::Bootstrap`], a
/// bootstrap of `fit` by `request.bootstrap` adds the parameters'
/// uncertainty; with [`Method::Delta`] the parameters are held at the
/// estimates. The entry point of the front-ends' prediction intervals.
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// As [`predict_total_purchases`] and [`bootstrap()`](super::bootstrap());
/// [`Error::InvalidValue`](crate::Error::InvalidValue) naming `weights` at
/// the first weight that is not a whole number ≥ 0;
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch) for weights of
/// another length than the customers.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::{fit_prediction_interval, IntervalRequest};
/// use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatParams};
/// use retentionkit::models::{simulate, RepeatData};
/// use retentionkit::optim::FitOptions;
/// let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
/// let sim = simulate::repeat(&truth, &[39.0; 500], 3)?;
/// let data = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None)?;
/// let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
/// let r = IntervalRequest::default().with_horizon(39.0);
/// let p = fit_prediction_interval(&fit, &data, &r, 500)?.prediction;
/// assert!(p.lower <= p.expected && p.expected <= p.upper);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_prediction_interval(
    fit: &Fit<RepeatParams>,
    data: &RepeatData,
    request: &IntervalRequest<'_>,
    draws: usize,
) -> Result<FitPrediction> {
    let own;
    let (x, tx, t, weights) = if let Some((x, tx, t)) = request.customers {
        (x, tx, t, request.weights)
    } else {
        if request.weights.is_some() {
            return Err(invalid_arg(
                "weights",
                "weights are for given customers: the data's rows have their own",
            ));
        }
        own = data.columns();
        (&own.0[..], &own.1[..], &own.2[..], Some(data.weights()))
    };
    let expanded;
    let (x, tx, t) = match weights {
        None => (x, tx, t),
        Some(w) => {
            super::check_weights(w, x.len())?;
            if let Some(row) = w.iter().position(|v| v.fract() != 0.0) {
                return Err(crate::Error::InvalidValue {
                    column: "weights",
                    row,
                    reason: format!("weight {} must be a whole number of customers", w[row]),
                });
            }
            let mut cols = (Vec::new(), Vec::new(), Vec::new());
            for (i, &wi) in w.iter().enumerate() {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                // a whole number ≥ 0 (checked)
                let n = wi as usize;
                cols.0.extend(std::iter::repeat_n(x[i], n));
                cols.1.extend(std::iter::repeat_n(tx[i], n));
                cols.2.extend(std::iter::repeat_n(t[i], n));
            }
            expanded = cols;
            (&expanded.0[..], &expanded.1[..], &expanded.2[..])
        }
    };
    let b = match request.method {
        Method::Delta => None,
        Method::Bootstrap => Some(bootstrap(fit, data, &request.bootstrap)?),
    };
    let prediction = predict_total_purchases(
        &fit.params,
        b.as_ref(),
        x,
        tx,
        t,
        request.horizon,
        request.level,
        draws,
        request.bootstrap.seed,
    )?;
    Ok(FitPrediction {
        prediction,
        replicates: b.as_ref().map_or(0, |b| b.replicates.len()),
        failed: b.as_ref().map_or(0, Bootstrap::failed),
    })
}
