//! The customer bootstrap of a repeat model's fit and the prediction
//! interval of the total future purchases (feature `simulate`).
//!
//! Random numbers: xoshiro256++ as in [`crate::models::simulate`], one
//! stream per replicate (and per simulated total) seeded from the caller's
//! seed and the replicate's index, so a seed gives the same result whatever
//! the number of threads.

use std::collections::HashMap;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Binomial, Distribution};

use super::{z_of, Intervals, Quantity};
use crate::error::{invalid_arg, Result};
use crate::models::data::RepeatData;
use crate::models::distribution::MAX_PURCHASES;
use crate::models::repeat::{check_columns, fit_repeat, RepeatKind, RepeatModel, RepeatParams};
use crate::models::{bg_nbd, mbg_nbd, pareto_nbd};
use crate::optim::{boundary_status, refit_positive, Fit, FitOptions, FitStatus};

/// The stream of replicate `index` under `seed`: the index spread by the
/// golden-ratio constant of SplitMix64 (Steele, Lea & Flood 2014), then
/// `seed_from_u64`.
pub(super) fn stream(seed: u64, index: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Options of [`bootstrap()`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct BootstrapOptions {
    /// Number of replicates (default 1,000).
    pub replicates: usize,
    /// The seed: the same seed gives the same replicates (default 0).
    pub seed: u64,
    /// The options of every refit (default: [`FitOptions::default`]; use
    /// the original fit's, so a penalised fit is refitted penalised).
    pub fit: FitOptions,
}

with_setters!("models::interval", BootstrapOptions {
    with_replicates(replicates: usize) = (200 => 200),
    with_seed(seed: u64) = (7 => 7),
    with_fit(fit: FitOptions) = (retentionkit::optim::FitOptions::default().with_max_iterations(50) => retentionkit::optim::FitOptions::default().with_max_iterations(50)),
});

impl Default for BootstrapOptions {
    fn default() -> Self {
        Self {
            replicates: 1_000,
            seed: 0,
            fit: FitOptions::default(),
        }
    }
}

/// One bootstrap replicate: its estimates and how its fit ended.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Replicate {
    /// The refit's estimates; `None` when the resampled data could not be
    /// fitted at all (no customer with a repeat purchase was drawn).
    pub params: Option<RepeatParams>,
    /// How the refit ended; `None` with `params`.
    pub status: Option<FitStatus>,
}

impl Replicate {
    /// The estimates of a replicate whose fit converged to an interior
    /// point ([`FitStatus::Converged`]); `None` for a failed one.
    pub fn converged(&self) -> Option<&RepeatParams> {
        match self.status {
            Some(FitStatus::Converged) => self.params.as_ref(),
            _ => None,
        }
    }
}

/// The replicates of a customer bootstrap of a repeat model's fit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bootstrap {
    /// The original estimates.
    pub estimate: RepeatParams,
    /// Every replicate, in index order, the failed ones included.
    pub replicates: Vec<Replicate>,
    /// The seed they were drawn with.
    pub seed: u64,
}

/// A customer bootstrap of `fit` on its data `data`: `options.replicates`
/// times, draw n customers with replacement from the n of `data` (a
/// multinomial draw of n over its rows with probabilities weight/n, by
/// conditional binomials), refit from the original estimates, BFGS's first
/// inverse Hessian that of the original fit's covariance (then from the
/// model's usual starts if that does not converge), and keep the
/// estimates and status. Replicates run in parallel with the `parallel`
/// feature; each has its own random stream, so the result depends on the
/// seed only.
///
/// A replicate whose refit does not converge (any status but
/// [`FitStatus::Converged`], [`FitStatus::AtBoundary`] included) is kept
/// and counted by [`Bootstrap::failed`], and left out of every interval.
/// Source: docs/metrics.md, "Intervals on parameters and predictions".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `replicates` for 0 replicates; the fits' errors for bad fit options.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::{bootstrap, BootstrapOptions};
/// use retentionkit::models::repeat::{fit_repeat, RepeatKind};
/// use retentionkit::models::RepeatData;
/// use retentionkit::optim::FitOptions;
/// let (x, tx, t) = ([0, 2, 5, 1, 3, 0], [0.0, 20.0, 35.0, 5.0, 12.0, 0.0], [40.0, 38.0, 39.0, 30.0, 36.0, 33.0]);
/// let data = RepeatData::new(&x, &tx, &t, None)?;
/// let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default())?;
/// let o = BootstrapOptions::default().with_replicates(20).with_seed(7);
/// let b = bootstrap(&fit, &data, &o)?;
/// assert_eq!(b.replicates.len(), 20);
/// assert_eq!(b, bootstrap(&fit, &data, &o)?); // same seed, same replicates
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bootstrap(
    fit: &Fit<RepeatParams>,
    data: &RepeatData,
    options: &BootstrapOptions,
) -> Result<Bootstrap> {
    if options.replicates == 0 {
        return Err(invalid_arg("replicates", "0: at least one is needed"));
    }
    crate::error::check_non_negative(options.fit.penalizer, "penalizer")?;
    let estimate = fit.params;
    let covariance = super::covariance(fit, data).ok().map(|c| c.matrix);
    let indices: Vec<u64> = (0..options.replicates as u64).collect();
    let replicates = crate::log::par_map(indices, |i| {
        let weights = resample(data.weights(), &mut stream(options.seed, i));
        let refit = data
            .with_weights(weights)
            .and_then(|d| refit(&estimate, covariance.as_ref(), &d, &options.fit).ok());
        match refit {
            Some((params, status)) => Replicate {
                params: Some(params),
                status: Some(status),
            },
            None => Replicate {
                params: None,
                status: None,
            },
        }
    });
    Ok(Bootstrap {
        estimate,
        replicates,
        seed: options.seed,
    })
}

/// A multinomial draw of n = Σ counts over the rows with probabilities
/// countᵢ / n: row by row, kᵢ ~ Binomial(n left, countᵢ / counts left).
pub(super) fn resample(counts: &[f64], rng: &mut Xoshiro256PlusPlus) -> Vec<f64> {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole counts
    let mut left = counts.iter().sum::<f64>().round() as u64;
    let mut mass: f64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            if left == 0 || c <= 0.0 {
                return 0.0;
            }
            let p = (c / mass).min(1.0);
            mass -= c;
            let k = Binomial::new(left, p).map_or(left, |b| b.sample(rng));
            left -= k;
            k as f64
        })
        .collect()
}

/// The fit of `estimate`'s model on a replicate's data from `estimate`
/// (BFGS started from the inverse Hessian that `covariance` implies, see
/// `refit_positive`), then by the model's own fit if that did not converge.
fn refit(
    estimate: &RepeatParams,
    covariance: Option<&[[f64; 4]; 4]>,
    data: &RepeatData,
    options: &FitOptions,
) -> Result<(RepeatParams, FitStatus)> {
    let start = estimate.values();
    let n = data.customers();
    let (v, status) = match estimate.kind() {
        RepeatKind::BgNbd => refit_positive(
            &bg_nbd::log_likelihood_fn(data),
            n,
            &start,
            covariance,
            options,
        )?,
        RepeatKind::MbgNbd => refit_positive(
            &mbg_nbd::log_likelihood_fn(data),
            n,
            &start,
            covariance,
            options,
        )?,
        RepeatKind::ParetoNbd => refit_positive(
            &pareto_nbd::log_likelihood_fn(data),
            n,
            &start,
            covariance,
            options,
        )?,
    };
    let warm = RepeatParams::new(estimate.kind(), [v[0], v[1], v[2], v[3]])?;
    let [p0, p1, p2, p3] = warm.values();
    let age = data.mean_age();
    let status = match estimate.kind() {
        RepeatKind::ParetoNbd => boundary_status(status, &[p0, p2], &[(p1, age), (p3, age)]),
        _ => boundary_status(status, &[p0, p2, p3], &[(p1, age)]),
    };
    if status == FitStatus::Converged {
        return Ok((warm, status));
    }
    let cold = fit_repeat(estimate.kind(), data, options)?;
    Ok(if cold.status == FitStatus::Converged {
        (cold.params, cold.status)
    } else {
        (warm, status)
    })
}

/// The `p`-quantile of sorted values, linear between order statistics
/// (Hyndman & Fan 1996, "Sample quantiles in statistical packages", The
/// American Statistician 50(4), definition 7).
pub(super) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let h = p * last as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0 ≤ h ≤ last
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The percentile interval at `level` and the standard deviation of
/// `values` (one replicate's values per entry, each of `width` values),
/// with `estimate` the values at the original estimates.
pub(super) fn percentile_intervals(
    estimate: Vec<f64>,
    values: &[Vec<f64>],
    level: f64,
) -> Result<Intervals> {
    z_of(level)?;
    let b = values.len();
    if b < 2 {
        return Err(invalid_arg(
            "replicates",
            format!("{b} converged: at least 2 are needed for an interval"),
        ));
    }
    let (mut lower, mut upper, mut standard_error) = (vec![], vec![], vec![]);
    for i in 0..estimate.len() {
        let mut column: Vec<f64> = values.iter().map(|v| v[i]).collect();
        column.sort_unstable_by(f64::total_cmp);
        let mean = column.iter().sum::<f64>() / b as f64;
        let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (b - 1) as f64;
        standard_error.push(var.sqrt());
        lower.push(quantile(&column, 0.5 - 0.5 * level));
        upper.push(quantile(&column, 0.5 + 0.5 * level));
    }
    Ok(Intervals {
        level,
        estimate,
        standard_error,
        lower,
        upper,
    })
}

impl Bootstrap {
    /// Number of replicates that failed: not fitted, or fitted without
    /// converging to an interior point (any status but
    /// [`FitStatus::Converged`]). They are in [`Bootstrap::replicates`] and
    /// in no interval.
    pub fn failed(&self) -> usize {
        self.replicates
            .iter()
            .filter(|r| r.converged().is_none())
            .count()
    }

    /// The converged replicates' estimates, in index order.
    pub fn converged(&self) -> Vec<RepeatParams> {
        self.replicates
            .iter()
            .filter_map(Replicate::converged)
            .copied()
            .collect()
    }

    /// Percentile intervals at `level` on the four parameters (order of
    /// [`RepeatKind::parameter_names`]) from the converged replicates;
    /// `standard_error` is their standard deviation. Source:
    /// docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a level
    /// not strictly between 0 and 1, or fewer than 2 converged replicates.
    pub fn parameter_intervals(&self, level: f64) -> Result<Intervals> {
        let values: Vec<Vec<f64>> = self
            .converged()
            .iter()
            .map(|p| p.values().to_vec())
            .collect();
        percentile_intervals(self.estimate.values().to_vec(), &values, level)
    }

    /// Percentile intervals at `level` on `quantity` for the customers of
    /// the columns: the quantity at each converged replicate's estimates;
    /// `estimate` is its value at the original estimates. Source:
    /// docs/metrics.md, "Intervals on parameters and predictions".
    ///
    /// # Errors
    /// As [`Quantity::evaluate`] and [`Bootstrap::parameter_intervals`];
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// `replicates` when the quantity cannot be evaluated at a converged
    /// replicate's estimates (for example an expected-purchases sum that
    /// would need more than 200,000 terms): no replicate is dropped
    /// silently.
    pub fn intervals(
        &self,
        quantity: &Quantity<'_>,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        level: f64,
    ) -> Result<Intervals> {
        z_of(level)?;
        let estimate = quantity.evaluate(&self.estimate, frequency, recency, age)?;
        let values = self
            .converged()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                quantity.evaluate(p, frequency, recency, age).map_err(|e| {
                    invalid_arg(
                        "replicates",
                        format!("the quantity is not defined at converged replicate {i}: {e}"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        percentile_intervals(estimate, &values, level)
    }
}

/// The prediction interval of the total purchases of a set of customers
/// in their next `horizon` ([`predict_total_purchases`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TotalPurchasesPrediction {
    /// The two-sided level.
    pub level: f64,
    /// The expected total at the estimates.
    pub expected: f64,
    /// Lower end: the (1 − level)/2 quantile of the simulated totals.
    pub lower: f64,
    /// Upper end: the (1 + level)/2 quantile.
    pub upper: f64,
    /// The simulated totals, in draw order.
    pub draws: Vec<f64>,
}

impl TotalPurchasesPrediction {
    /// The standard deviation of the simulated totals (divisor draws − 1;
    /// 0 for one draw): the prediction's standard error.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::interval::predict_total_purchases;
    /// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
    /// let m = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
    /// let p = predict_total_purchases(&m, None, &[0, 2], &[0.0, 30.4], &[38.9, 38.9], 39.0, 0.9, 200, 1)?;
    /// let n = p.draws.len() as f64;
    /// let mean = p.draws.iter().sum::<f64>() / n;
    /// let var = p.draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    /// assert!((p.standard_deviation() - var.sqrt()).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn standard_deviation(&self) -> f64 {
        let n = self.draws.len();
        if n < 2 {
            return 0.0;
        }
        let mean = self.draws.iter().sum::<f64>() / n as f64;
        let ss: f64 = self.draws.iter().map(|d| (d - mean).powi(2)).sum();
        (ss / (n - 1) as f64).sqrt()
    }
}

/// A prediction interval at `level` for the total purchases of the
/// customers of the columns in their next `horizon`, process noise
/// included: `draws` totals, each the sum of one draw per customer from
/// their predictive distribution P(X(T, T + horizon] = n | x, t_x, T) at
/// the model `model` ([`RepeatModel::probability_of_purchases`], tabulated
/// once per distinct customer up to a cumulative 1 − 10⁻¹⁰). With a
/// bootstrap, the parameter uncertainty is added: draw d is shifted by
/// E_d − E, the expected total at the d-th converged replicate (cycling)
/// minus the one at `model` (the law of total variance, with the process
/// noise's spread held at the estimates'), floored at 0. Each draw has
/// its own stream from `seed`. Source: docs/metrics.md, "Intervals on
/// parameters and predictions".
///
/// # Errors
/// As [`RepeatModel::predict_columns`];
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a level
/// not strictly between 0 and 1, 0 draws, or a bootstrap of another model
/// or without converged replicates.
///
/// # Examples
/// ```
/// use retentionkit::models::interval::predict_total_purchases;
/// use retentionkit::models::repeat::{RepeatKind, RepeatParams};
/// let m = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426])?;
/// let (x, tx, t) = ([0, 2, 5], [0.0, 30.4, 35.0], [38.9, 38.9, 38.9]);
/// let p = predict_total_purchases(&m, None, &x, &tx, &t, 39.0, 0.9, 500, 1)?;
/// assert!(p.lower <= p.expected && p.expected <= p.upper);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[allow(clippy::too_many_arguments)] // the columns, the horizon and the draw's settings
pub fn predict_total_purchases(
    model: &RepeatParams,
    bootstrap: Option<&Bootstrap>,
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    horizon: f64,
    level: f64,
    draws: usize,
    seed: u64,
) -> Result<TotalPurchasesPrediction> {
    z_of(level)?;
    crate::error::check_non_negative(horizon, "horizon")?;
    if draws == 0 {
        return Err(invalid_arg("draws", "0: at least one is needed"));
    }
    check_columns(frequency, recency, age)?;
    let total = Quantity::TotalPurchases { horizon };
    let expected = total.evaluate(model, frequency, recency, age)?[0];
    let shifts = match bootstrap {
        None => vec![0.0],
        Some(b) => {
            if b.estimate.kind() != model.kind() {
                return Err(invalid_arg("bootstrap", "a bootstrap of another model"));
            }
            let converged = b.converged();
            if converged.is_empty() {
                return Err(invalid_arg("bootstrap", "no converged replicate"));
            }
            converged
                .iter()
                .map(|p| Ok(total.evaluate(p, frequency, recency, age)?[0] - expected))
                .collect::<Result<Vec<f64>>>()?
        }
    };
    let tables = cumulative_tables(model, frequency, recency, age, horizon)?;
    let indices: Vec<u64> = (0..draws as u64).collect();
    let sims = crate::log::par_map(indices, |d| {
        let mut rng = stream(seed, d);
        let mut sum = 0.0;
        for (cumulative, count) in &tables {
            for _ in 0..*count {
                let u: f64 = rng.random();
                sum += cumulative.partition_point(|&c| c <= u) as f64;
            }
        }
        #[allow(clippy::cast_possible_truncation)] // d < draws, a usize
        let shift = shifts[d as usize % shifts.len()];
        (sum + shift).max(0.0)
    });
    let mut sorted = sims.clone();
    sorted.sort_unstable_by(f64::total_cmp);
    Ok(TotalPurchasesPrediction {
        level,
        expected,
        lower: quantile(&sorted, 0.5 - 0.5 * level),
        upper: quantile(&sorted, 0.5 + 0.5 * level),
        draws: sims,
    })
}

/// Per distinct customer, the cumulative P(X ≤ n) for n = 0, 1, … until it
/// reaches 1 − 10⁻¹⁰, the terms fall below 10⁻¹⁵, or n = [`MAX_PURCHASES`], and how many rows have it.
fn cumulative_tables(
    model: &RepeatParams,
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    horizon: f64,
) -> Result<Vec<(Vec<f64>, u64)>> {
    let mut index: HashMap<(u32, u64, u64), usize> = HashMap::new();
    let mut rows: Vec<((u32, f64, f64), u64)> = Vec::new();
    for ((&x, &tx), &t) in frequency.iter().zip(recency).zip(age) {
        let slot = *index
            .entry((x, tx.to_bits(), t.to_bits()))
            .or_insert_with(|| {
                rows.push(((x, tx, t), 0));
                rows.len() - 1
            });
        rows[slot].1 += 1;
    }
    let tables = crate::log::par_map(rows, |((x, tx, t), count)| {
        let mut cumulative = Vec::new();
        let mut sum = 0.0;
        let mut last = f64::INFINITY;
        for n in 0..=MAX_PURCHASES {
            let p = model.probability_of_purchases(x, tx, t, horizon, n)?;
            sum += p;
            cumulative.push(sum);
            // Done when the rest is below 10⁻¹⁰, or (rounding can keep the
            // sum from getting there) the terms fall below 10⁻¹⁵.
            if sum >= 1.0 - 1e-10 || (p < 1e-15 && p <= last) {
                break;
            }
            last = p;
        }
        Ok((cumulative, count))
    });
    tables.into_iter().collect()
}
