//! Intervals by name: what to put an interval on and how, as every
//! front-end asks for them (`quantity="total_purchases"`,
//! `method="bootstrap"`), so the names, their defaults and the dispatch are
//! written once (feature `simulate`).

use super::bootstrap::{bootstrap, BootstrapOptions};
use super::{covariance, Intervals, Quantity};
use crate::error::Result;
use crate::models::data::RepeatData;
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
}

impl Target {
    /// The prediction over `horizon` this target asks for; `None` for the
    /// parameters.
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
            Target::Parameters => None,
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

/// Intervals at `level` on each of `targets` over `horizon` for
/// `customers` (when `None`, the rows of `data`, each standing for its
/// weight in customers: their total is Σ wᵢ Eᵢ), from `fit`, the fit on
/// `data`, by `method`: one covariance, or one bootstrap of
/// `bootstrap.replicates` replicates with its seed and refit options, for
/// all the targets. The one entry point the front-ends call; one result
/// per target, in their order. Source: docs/metrics.md, "Intervals on
/// parameters and predictions".
///
/// # Errors
/// As [`covariance`](super::covariance) (a fit that did not converge has no
/// delta method), [`bootstrap()`](super::bootstrap()) and the intervals'
/// own calls: a level not strictly between 0 and 1, a negative horizon,
/// columns of different lengths.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::{fit_intervals, BootstrapOptions, Method, Target};
/// use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatParams};
/// use retentionkit::models::{simulate, RepeatData};
/// use retentionkit::optim::FitOptions;
/// let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
/// let sim = simulate::repeat(&truth, &[39.0; 500], 3)?;
/// let data = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None)?;
/// let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
/// let o = BootstrapOptions::default();
/// let targets = [Target::Parameters, Target::TotalPurchases];
/// let [params, total] = &fit_intervals(&fit, &data, &targets, 10.0, None, 0.9, Method::Delta, &o)?[..] else {
///     unreachable!("one result per target")
/// };
/// assert_eq!(params.intervals.estimate.len(), 4);
/// let iv = &total.intervals;
/// assert_eq!(iv.estimate.len(), 1);
/// assert!(iv.lower[0] < iv.estimate[0] && iv.estimate[0] < iv.upper[0]);
/// assert_eq!((total.replicates, total.failed), (0, 0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[allow(clippy::too_many_arguments)] // what, over which horizon, for whom, at which level, how
pub fn fit_intervals(
    fit: &Fit<RepeatParams>,
    data: &RepeatData,
    targets: &[Target],
    horizon: f64,
    customers: Option<Customers<'_>>,
    level: f64,
    method: Method,
    bootstrap_options: &BootstrapOptions,
) -> Result<Vec<FitIntervals>> {
    let own = match customers {
        Some(_) => (Vec::new(), Vec::new(), Vec::new()),
        None => data.columns(),
    };
    let (x, tx, t) = customers.unwrap_or((&own.0[..], &own.1[..], &own.2[..]));
    // The data's own rows each stand for `weight` customers, so their total
    // is weighted.
    let quantity = |target: Target| {
        if customers.is_none() && target == Target::TotalPurchases {
            Some(Quantity::WeightedTotalPurchases {
                horizon,
                weights: data.weights(),
            })
        } else {
            target.quantity(horizon)
        }
    };
    let mut out = Vec::with_capacity(targets.len());
    match method {
        Method::Delta => {
            let cov = covariance(fit, data)?;
            for &target in targets {
                let intervals = match quantity(target) {
                    None => cov.parameter_intervals(level)?,
                    Some(q) => cov.intervals(&q, x, tx, t, level)?,
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
            let b = bootstrap(fit, data, bootstrap_options)?;
            for &target in targets {
                let intervals = match quantity(target) {
                    None => b.parameter_intervals(level)?,
                    Some(q) => b.intervals(&q, x, tx, t, level)?,
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
