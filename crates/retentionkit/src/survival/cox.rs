//! Cox proportional-hazards regression: durations with covariates.
//!
//! Source: docs/metrics.md, "Cox proportional hazards and the Weibull AFT
//! model", with the papers named at each item: Cox (1972) for the model and
//! its partial likelihood, Breslow (1974) and Efron (1977) for tied times,
//! Lin & Wei (1989) for the robust (sandwich) variance, Harrell et al. (1982)
//! for the concordance index and Grambsch & Therneau (1994) for the test of
//! proportional hazards. The numbers are lifelines' `CoxPHFitter` (checked to
//! 1e-6 relative on lifelines' `rossi` data, `tests/data/survival/`).

mod pass;
#[cfg(test)]
mod tests;
mod zph;

pub use zph::{proportional_hazards_test, TimeTransform};

use crate::error::{check_ascending, check_length, invalid_arg, Error, Result};
use crate::optim::{invert_spd, FitStatus};
use crate::special::{chi2_sf, normal_quantile};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Ties {
    /// Efron (1977), JASA 72(359), eq. (3.3): the $k$-th of $d$ tied events
    /// sees the risk set less $k/d$ of the tied events' weight. lifelines'
    /// and R's default.
    #[default]
    Efron,
    /// Breslow (1974), Biometrics 30(1): every tied event sees the whole
    /// risk set.
    Breslow,
}

/// The columns of a survival regression ([`cox_ph`], and
/// [`super::aft::weibull_aft`] without strata): one row per subject.
#[derive(Debug, Clone, Copy)]
pub struct RegressionData<'a> {
    /// Time to the event or to censoring, finite and `>= 0`.
    pub durations: &'a [f64],
    /// `true` when the event happened at the duration, `false` when censored.
    pub events: &'a [bool],
    /// The covariates, one column (slice of `durations.len()` values) each.
    pub covariates: &'a [&'a [f64]],
    /// Case weights, finite and `> 0`; `None` is weight 1 for every row.
    pub weights: Option<&'a [f64]>,
    /// Stratum of each row: each stratum has its own baseline hazard and
    /// shares the coefficients; `None` is one stratum.
    pub strata: Option<&'a [u32]>,
}

/// Options of [`cox_ph`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoxOptions {
    /// Tie handling (default Efron).
    pub ties: Ties,
    /// Also compute the robust (sandwich) standard errors, which the
    /// summary then uses (default `false`).
    pub robust: bool,
    /// Newton–Raphson iteration limit (default 50).
    pub max_iterations: usize,
    /// Convergence when the Newton decrement $g^\top (-H)^{-1} g$ is below
    /// this (default 1e-16; the last step is still taken).
    pub tolerance: f64,
    /// Two-sided level of the intervals in `(0, 1)` (default 0.95).
    pub confidence_level: f64,
}

impl Default for CoxOptions {
    fn default() -> Self {
        Self {
            ties: Ties::Efron,
            robust: false,
            max_iterations: 50,
            tolerance: 1e-16,
            confidence_level: 0.95,
        }
    }
}

/// The baseline of one stratum: Breslow's estimate of the cumulative
/// hazard of a subject with the mean covariates (lifelines' baseline).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoxBaseline {
    /// The stratum (0 when the fit has no strata).
    pub stratum: u32,
    /// Distinct durations of the stratum, increasing.
    pub times: Vec<f64>,
    /// $\hat H_0(t)$ at each time, a right-continuous step function that is
    /// 0 before `times[0]`.
    pub cumulative_hazard: Vec<f64>,
}

impl CoxBaseline {
    /// $\hat H_0(t)$: the value at the last time `<= t`, 0 before the first.
    pub fn cumulative_hazard_at(&self, t: f64) -> f64 {
        let k = self.times.partition_point(|&s| s <= t);
        k.checked_sub(1)
            .and_then(|i| self.cumulative_hazard.get(i))
            .copied()
            .unwrap_or(0.0)
    }

    /// Baseline survival $\hat S_0(t) = \exp(-\hat H_0(t))$.
    pub fn survival_at(&self, t: f64) -> f64 {
        (-self.cumulative_hazard_at(t)).exp()
    }
}

/// One row of [`CoxFit::summary`], the columns of lifelines' `summary`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoxCoefficient {
    /// $\hat\beta_j$.
    pub coef: f64,
    /// The hazard ratio $e^{\hat\beta_j}$.
    pub hazard_ratio: f64,
    /// Standard error (the robust one when the fit asked for it).
    pub se: f64,
    /// $\hat\beta_j - z\\,\mathrm{se}$, $z = \Phi^{-1}((1 + \text{level}) / 2)$.
    pub coef_lower: f64,
    /// $\hat\beta_j + z\\,\mathrm{se}$.
    pub coef_upper: f64,
    /// $e^{\hat\beta_j - z\\,\mathrm{se}}$.
    pub hazard_ratio_lower: f64,
    /// $e^{\hat\beta_j + z\\,\mathrm{se}}$.
    pub hazard_ratio_upper: f64,
    /// Wald statistic $\hat\beta_j / \mathrm{se}$.
    pub z: f64,
    /// Two-sided p-value of the Wald test, $P(\chi^2_1 > z^2)$.
    pub p_value: f64,
}

/// A fitted Cox model.
///
/// Deserialization runs [`CoxFit::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CoxFitRaw"))]
pub struct CoxFit {
    /// $\hat\beta$, one per covariate column.
    pub coefficients: Vec<f64>,
    /// Model-based standard errors: square roots of the diagonal of
    /// [`CoxFit::covariance`].
    pub standard_errors: Vec<f64>,
    /// Robust (sandwich) standard errors when asked for (Lin & Wei 1989).
    pub robust_standard_errors: Option<Vec<f64>>,
    /// $(-H)^{-1}$ at $\hat\beta$, row-major $p \times p$.
    pub covariance: Vec<f64>,
    /// Partial log-likelihood at $\hat\beta$.
    pub log_likelihood: f64,
    /// Partial log-likelihood at $\beta = 0$.
    pub null_log_likelihood: f64,
    /// Harrell's C of the linear predictor on the data of the fit
    /// (unweighted, within strata); `None` without a comparable pair.
    pub concordance: Option<f64>,
    /// The covariate means (unweighted) the baseline refers to.
    pub means: Vec<f64>,
    /// The baseline of each stratum, strata increasing.
    pub baselines: Vec<CoxBaseline>,
    /// Rows fitted.
    pub rows: usize,
    /// Rows with the event.
    pub events: usize,
    /// Newton–Raphson iterations used.
    pub iterations: usize,
    /// How the fit ended: [`FitStatus::AtBoundary`] when a coefficient ran
    /// off (monotone likelihood, see [`cox_ph`]).
    pub status: FitStatus,
    /// The options of the fit.
    pub options: CoxOptions,
}

checked_serde!(CoxFit by validate, CoxFitRaw {
    coefficients: Vec<f64>,
    standard_errors: Vec<f64>,
    robust_standard_errors: Option<Vec<f64>>,
    covariance: Vec<f64>,
    log_likelihood: f64,
    null_log_likelihood: f64,
    concordance: Option<f64>,
    means: Vec<f64>,
    baselines: Vec<CoxBaseline>,
    rows: usize,
    events: usize,
    iterations: usize,
    status: FitStatus,
    options: CoxOptions,
});

/// The validated, sorted data: rows ordered by (stratum, duration, event,
/// input row), covariates centred at their means, row-major.
pub(crate) struct Prepared {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub weight: Vec<f64>,
    pub stratum: Vec<u32>,
    pub x: Vec<f64>,
    pub p: usize,
    pub means: Vec<f64>,
    pub sds: Vec<f64>,
    pub events: usize,
}

fn check_finite(column: &'static str, values: &[f64], positive: bool) -> Result<()> {
    match values
        .iter()
        .position(|v| !(v.is_finite() && (if positive { *v > 0.0 } else { *v >= 0.0 })))
    {
        None => Ok(()),
        Some(row) => Err(Error::InvalidValue {
            column,
            row,
            reason: format!(
                "{} is not a finite value {}",
                values[row],
                if positive { "> 0" } else { ">= 0" }
            ),
        }),
    }
}

/// Validate the columns and sort them.
pub(crate) fn prepare(data: &RegressionData<'_>) -> Result<Prepared> {
    let n = data.durations.len();
    if n == 0 {
        return Err(Error::Empty { what: "durations" });
    }
    check_length("events", n, data.events.len())?;
    check_finite("durations", data.durations, false)?;
    let p = data.covariates.len();
    if p == 0 {
        return Err(invalid_arg(
            "covariates",
            "at least one covariate column is needed",
        ));
    }
    for c in data.covariates {
        check_length("covariates", n, c.len())?;
    }
    if let Some(w) = data.weights {
        check_length("weights", n, w.len())?;
        check_finite("weights", w, true)?;
    }
    if let Some(s) = data.strata {
        check_length("strata", n, s.len())?;
    }
    let events = data.events.iter().filter(|&&e| e).count();
    if events == 0 {
        return Err(invalid_arg(
            "events",
            "no row has the event, so nothing can be estimated",
        ));
    }
    let (mut means, mut sds) = (Vec::with_capacity(p), Vec::with_capacity(p));
    for (j, c) in data.covariates.iter().enumerate() {
        if let Some(row) = c.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                column: "covariates",
                row,
                reason: format!("covariate {j}: {} is not finite", c[row]),
            });
        }
        let mean = c.iter().sum::<f64>() / n as f64;
        let ss: f64 = c.iter().map(|v| (v - mean) * (v - mean)).sum();
        if c.iter().all(|&v| v == c[0]) {
            return Err(Error::InvalidValue {
                column: "covariates",
                row: 0,
                reason: format!("covariate {j} is constant, so its coefficient is not identified"),
            });
        }
        means.push(mean);
        sds.push((ss / n as f64).sqrt());
    }
    let stratum_of = |i: usize| data.strata.map_or(0, |s| s[i]);
    // Sort keys side by side (cache-friendly); the row index makes the order total.
    let mut keys: Vec<(u32, f64, bool, usize)> = (0..n)
        .map(|i| (stratum_of(i), data.durations[i] + 0.0, data.events[i], i))
        .collect();
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let order: Vec<usize> = keys.iter().map(|k| k.3).collect();
    let mut x = Vec::with_capacity(n * p);
    for &i in &order {
        x.extend(data.covariates.iter().zip(&means).map(|(c, m)| c[i] - m));
    }
    Ok(Prepared {
        // −0 and +0 are one time.
        time: order.iter().map(|&i| data.durations[i] + 0.0).collect(),
        event: order.iter().map(|&i| data.events[i]).collect(),
        weight: order
            .iter()
            .map(|&i| data.weights.map_or(1.0, |w| w[i]))
            .collect(),
        stratum: order.iter().map(|&i| stratum_of(i)).collect(),
        x,
        p,
        means,
        sds,
        events,
    })
}

/// Solve $(-H) \delta = g$ by inverting $-H$; `None` when $-H$ is not
/// positive definite.
fn newton_step(hessian: &[f64], gradient: &[f64]) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
    let p = gradient.len();
    let neg: Vec<Vec<f64>> = (0..p)
        .map(|a| (0..p).map(|b| -hessian[a * p + b]).collect())
        .collect();
    let inv = invert_spd(&neg)?;
    let delta = inv
        .iter()
        .map(|row| row.iter().zip(gradient).map(|(a, g)| a * g).sum())
        .collect();
    Some((delta, inv))
}

fn not_identified() -> Error {
    invalid_arg(
        "covariates",
        "the information matrix is singular: some covariates are collinear \
         (or a covariate is constant within every stratum)",
    )
}

/// A coefficient beyond this many standard deviations of its covariate
/// (a hazard ratio above e²⁰ per standard deviation) marks a monotone
/// likelihood.
const RUNAWAY: f64 = 20.0;

/// A standard error at the estimate above this many times its value at
/// $\beta = 0$ marks a monotone likelihood: the information about that
/// coefficient has collapsed as it ran off.
const COLLAPSE: f64 = 1e3;

/// Newton–Raphson with step halving from $\beta = 0$: (β, iterations, status).
fn newton(prep: &Prepared, options: &CoxOptions) -> Result<(Vec<f64>, usize, FitStatus)> {
    let p = prep.p;
    let mut beta = vec![0.0; p];
    let mut current =
        pass::likelihood(prep, &beta, options.ties, true).ok_or_else(not_identified)?;
    let mut status = FitStatus::MaxIterations;
    let mut iterations = 0;
    while iterations < options.max_iterations {
        iterations += 1;
        let Some((delta, _)) = newton_step(&current.hessian, &current.gradient) else {
            if iterations == 1 {
                return Err(not_identified());
            }
            status = FitStatus::AtBoundary;
            break;
        };
        let decrement: f64 = delta
            .iter()
            .zip(&current.gradient)
            .map(|(d, g)| d * g)
            .sum();
        let mut step = 1.0;
        let accepted = loop {
            let trial: Vec<f64> = beta.iter().zip(&delta).map(|(b, d)| b + step * d).collect();
            if let Some(next) = pass::likelihood(prep, &trial, options.ties, true) {
                // Accept any step that does not lower the likelihood beyond rounding.
                if next.ll >= current.ll - 1e-12 * current.ll.abs().max(1.0) {
                    break Some((trial, next));
                }
            }
            step /= 2.0;
            if step < 1e-10 {
                break None;
            }
        };
        let Some((trial, next)) = accepted else {
            status = FitStatus::LineSearchFailed;
            break;
        };
        beta = trial;
        current = next;
        if decrement < options.tolerance {
            status = FitStatus::Converged;
            break;
        }
    }
    if beta
        .iter()
        .zip(&prep.sds)
        .any(|(b, s)| (b * s).abs() > RUNAWAY)
    {
        status = FitStatus::AtBoundary;
    }
    Ok((beta, iterations, status))
}

/// Harrell's concordance index of the risk scores `eta` (one per row of
/// `prep`, in its sorted order; a higher score predicts an earlier event):
/// (concordant + tied / 2) / comparable pairs, unweighted and within
/// strata, as lifelines' `concordance_index` (docs/metrics.md, "Cox
/// proportional hazards and the Weibull AFT model"); `None` without a
/// comparable pair. Shared by [`cox_ph`] and the Weibull AFT fit.
pub(crate) fn concordance_of(prep: &Prepared, eta: &[f64]) -> Option<f64> {
    let (concordant, tied, pairs) = pass::concordance_counts(prep, eta);
    (pairs > 0).then(|| (concordant as f64 + tied as f64 / 2.0) / pairs as f64)
}

/// The risk scores $x_i^\top\beta$ of the rows of `prep` (centred
/// covariates, sorted order); `None` when one is not finite.
pub(crate) fn risk_scores(prep: &Prepared, beta: &[f64]) -> Option<Vec<f64>> {
    pass::linear_predictors(prep, beta)
}

/// Fit a Cox proportional-hazards model by maximum partial likelihood.
///
/// # Formula
/// The hazard of subject $i$ is $h_i(t) = h_0(t)\\,e^{x_i^\top\beta}$ (Cox
/// 1972, JRSS B 34(2), eq. (9)); $\hat\beta$ maximises the partial
/// log-likelihood, with Breslow's (1974) or Efron's (1977) handling of tied
/// event times and case weights $w_i$:
/// $$ \ell(\beta) = \sum_{t} \Bigl[\sum_{i \in D_t} w_i x_i^\top\beta
///    \\;-\\; \bar w_t \sum_{k=0}^{d_t - 1} \ln\Bigl(\sum_{j \in R_t} w_j e^{x_j^\top\beta}
///    \\;-\\; \tfrac{k}{d_t} \sum_{j \in D_t} w_j e^{x_j^\top\beta}\Bigr)\Bigr] $$
/// ($D_t$ the $d_t$ events at $t$, $R_t$ the rows with duration $\ge t$ in
/// the same stratum, $\bar w_t$ the mean weight of $D_t$; Breslow: one term
/// with weight $\sum_{D_t} w_i$ and $k = 0$). Newton–Raphson with the
/// analytic Hessian from $\beta = 0$, halving a step until the likelihood
/// does not fall. Standard errors from $(-H)^{-1}$; robust ones from
/// $V\\,(\sum_i r_i r_i^\top)\\,V$ with the score residuals $r_i$ (Lin & Wei
/// 1989, JASA 84(408), eq. (2.3)). The baseline is Breslow's estimator at
/// the covariate means, $\hat H_0(t) = \sum_{t_j \le t} \sum_{D_{t_j}} w_i /
/// \sum_{R_{t_j}} w_i e^{(x_i - \bar x)^\top \hat\beta}$; the concordance is
/// Harrell's C (Harrell et al. 1982, JAMA 247(18)). Source: docs/metrics.md,
/// "Cox proportional hazards and the Weibull AFT model".
///
/// A monotone likelihood (a covariate that separates events from
/// survivors, so the estimate is infinite) ends with status
/// [`FitStatus::AtBoundary`]: some $|\hat\beta_j|$ is above 20 over the
/// standard deviation of its covariate, or some standard error is above
/// 1,000 times its value at $\beta = 0$; when the information matrix is
/// singular there, so that no standard error exists, it is an
/// [`Error::InvalidArgument`] naming `covariates` instead.
///
/// # Errors
/// [`Error::Empty`] without rows; [`Error::LengthMismatch`] when a column's
/// length differs from `durations`'; [`Error::InvalidValue`] for a NaN or
/// negative duration, a non-finite covariate, a weight not `> 0`, or a
/// constant covariate; [`Error::InvalidArgument`] for no covariate, no
/// event, collinear covariates (a singular information matrix), a
/// monotone likelihood with a singular information matrix, or a
/// confidence level outside `(0, 1)`.
///
/// # Examples
/// ```
/// use retentionkit::survival::cox::{cox_ph, RegressionData, CoxOptions};
/// // Months to churn; the plan is 1 for the premium plan.
/// let months = [2.0, 3.0, 5.0, 6.0, 8.0, 9.0, 11.0, 12.0];
/// let churned = [true, true, false, true, true, false, true, false];
/// let plan = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
/// let data = RegressionData { durations: &months, events: &churned, covariates: &[&plan], weights: None, strata: None };
/// let fit = cox_ph(&data, &CoxOptions::default())?;
/// assert!(fit.coefficients[0] < 0.0); // the premium plan churns less
/// let s = fit.summary()?;
/// assert!(s[0].hazard_ratio_lower < s[0].hazard_ratio && s[0].hazard_ratio < s[0].hazard_ratio_upper);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn cox_ph(data: &RegressionData<'_>, options: &CoxOptions) -> Result<CoxFit> {
    if !(options.confidence_level > 0.0 && options.confidence_level < 1.0) {
        return Err(invalid_arg(
            "confidence_level",
            format!("{} must be in (0, 1)", options.confidence_level),
        ));
    }
    let prep = prepare(data)?;
    let null = pass::likelihood(&prep, &vec![0.0; prep.p], options.ties, true)
        .ok_or_else(not_identified)?;
    let (_, null_inv) = newton_step(&null.hessian, &null.gradient).ok_or_else(not_identified)?;
    let (beta, iterations, mut status) = newton(&prep, options)?;
    let last = pass::likelihood(&prep, &beta, options.ties, true).ok_or_else(not_identified)?;
    let (_, inv) = newton_step(&last.hessian, &last.gradient).ok_or_else(|| {
        if status == FitStatus::AtBoundary {
            invalid_arg(
                "covariates",
                "the partial likelihood is monotone: a coefficient runs off to infinity \
                 (a covariate separates the events from the survivors), so there is no estimate",
            )
        } else {
            not_identified()
        }
    })?;
    let p = prep.p;
    let standard_errors: Vec<f64> = (0..p).map(|a| inv[a][a].sqrt()).collect();
    if (0..p).any(|a| standard_errors[a] > COLLAPSE * null_inv[a][a].sqrt()) {
        status = FitStatus::AtBoundary;
    }
    let eta = pass::linear_predictors(&prep, &beta).ok_or_else(not_identified)?;
    let robust_standard_errors = options
        .robust
        .then(|| sandwich_se(&prep, &eta, &inv, options.ties));
    let concordance = concordance_of(&prep, &eta);
    let baselines = pass::baseline(&prep, &eta)
        .into_iter()
        .map(|(stratum, times, cumulative_hazard)| CoxBaseline {
            stratum,
            times,
            cumulative_hazard,
        })
        .collect();
    Ok(CoxFit {
        coefficients: beta,
        standard_errors,
        robust_standard_errors,
        covariance: inv.into_iter().flatten().collect(),
        log_likelihood: last.ll,
        null_log_likelihood: null.ll,
        concordance,
        means: prep.means,
        baselines,
        rows: prep.time.len(),
        events: prep.events,
        iterations,
        status,
        options: *options,
    })
}

/// $\sqrt{\mathrm{diag}(V R^\top R V)}$, $R$ the score residuals.
fn sandwich_se(prep: &Prepared, eta: &[f64], v: &[Vec<f64>], ties: Ties) -> Vec<f64> {
    let p = prep.p;
    let residuals = pass::score_residuals(prep, eta, ties);
    let mut meat = vec![vec![0.0; p]; p];
    for r in residuals.chunks_exact(p) {
        for a in 0..p {
            for b in 0..p {
                meat[a][b] += r[a] * r[b];
            }
        }
    }
    (0..p)
        .map(|a| {
            let mut s = 0.0;
            for b in 0..p {
                for c in 0..p {
                    s += v[a][b] * meat[b][c] * v[c][a];
                }
            }
            s.sqrt()
        })
        .collect()
}

/// The test of proportional hazards for one covariate.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PhTest {
    /// The chi-square statistic (1 degree of freedom).
    pub statistic: f64,
    /// $P(\chi^2_1 > \text{statistic})$.
    pub p_value: f64,
}

impl CoxFit {
    /// `Ok` when the parts fit together: one coefficient, standard error
    /// (robust too, when present) and mean per covariate, a $p \times p$
    /// covariance, and baselines with strata ascending, times ascending and
    /// as many cumulative hazards, non-decreasing and `>= 0`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] or [`Error::InvalidValue`] naming the part.
    pub fn validate(&self) -> Result<()> {
        let p = self.coefficients.len();
        check_length("standard_errors", p, self.standard_errors.len())?;
        check_length("means", p, self.means.len())?;
        check_length("covariance", p * p, self.covariance.len())?;
        if let Some(r) = &self.robust_standard_errors {
            check_length("robust_standard_errors", p, r.len())?;
        }
        let strata: Vec<u32> = self.baselines.iter().map(|b| b.stratum).collect();
        check_ascending("baselines", &strata)?;
        for b in &self.baselines {
            check_ascending("times", &b.times)?;
            check_length(
                "cumulative_hazard",
                b.times.len(),
                b.cumulative_hazard.len(),
            )?;
            if let Some(row) = b.cumulative_hazard.iter().enumerate().position(|(i, &h)| {
                !(h >= 0.0 && h.is_finite()) || (i > 0 && h < b.cumulative_hazard[i - 1])
            }) {
                return Err(Error::InvalidValue {
                    column: "cumulative_hazard",
                    row,
                    reason: "the cumulative hazard must be finite, >= 0 and non-decreasing".into(),
                });
            }
        }
        Ok(())
    }

    /// The standard errors the summary uses: the robust ones when the fit
    /// computed them, else the model-based ones.
    pub fn se(&self) -> &[f64] {
        self.robust_standard_errors
            .as_deref()
            .unwrap_or(&self.standard_errors)
    }

    /// Coefficients, hazard ratios with their intervals, Wald z and p, per
    /// covariate (lifelines' `summary`). Source: docs/metrics.md, "Cox
    /// proportional hazards and the Weibull AFT model".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the fit's confidence level is not in
    /// `(0, 1)` (a value deserialized or built field by field).
    pub fn summary(&self) -> Result<Vec<CoxCoefficient>> {
        let level = self.options.confidence_level;
        if !(level > 0.0 && level < 1.0) {
            return Err(invalid_arg(
                "confidence_level",
                format!("{level} must be in (0, 1)"),
            ));
        }
        let z = normal_quantile(f64::midpoint(1.0, level));
        Ok(self
            .coefficients
            .iter()
            .zip(self.se())
            .map(|(&coef, &se)| CoxCoefficient {
                coef,
                hazard_ratio: coef.exp(),
                se,
                coef_lower: coef - z * se,
                coef_upper: coef + z * se,
                hazard_ratio_lower: (coef - z * se).exp(),
                hazard_ratio_upper: (coef + z * se).exp(),
                z: coef / se,
                p_value: chi2_sf((coef / se).powi(2), 1.0),
            })
            .collect())
    }

    /// The likelihood-ratio test of all coefficients against 0:
    /// $2(\ell(\hat\beta) - \ell(0))$ on $p$ degrees of freedom.
    pub fn likelihood_ratio_test(&self) -> PhTest {
        let statistic = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        PhTest {
            statistic,
            p_value: chi2_sf(statistic, self.coefficients.len() as f64),
        }
    }

    /// Predicted survival $S(t \mid x) = \exp\bigl(-\hat H_0(t)\\,e^{(x - \bar x)^\top\hat\beta}\bigr)$
    /// of a subject with covariates `row` in `stratum` (0 without strata),
    /// at each of `times`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `row` does not have one value per
    /// covariate; [`Error::InvalidValue`] for a non-finite covariate or a
    /// NaN time; [`Error::InvalidArgument`] for a stratum the fit did not see.
    pub fn predict_survival(&self, row: &[f64], stratum: u32, times: &[f64]) -> Result<Vec<f64>> {
        check_length("row", self.coefficients.len(), row.len())?;
        if let Some(i) = row.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                column: "row",
                row: i,
                reason: format!("{} is not finite", row[i]),
            });
        }
        if let Some(i) = times.iter().position(|t| t.is_nan()) {
            return Err(Error::InvalidValue {
                column: "times",
                row: i,
                reason: "NaN is not a time".into(),
            });
        }
        let base = self
            .baselines
            .iter()
            .find(|b| b.stratum == stratum)
            .ok_or_else(|| invalid_arg("stratum", format!("the fit has no stratum {stratum}")))?;
        let eta: f64 = row
            .iter()
            .zip(&self.means)
            .zip(&self.coefficients)
            .map(|((x, m), b)| (x - m) * b)
            .sum();
        Ok(times
            .iter()
            .map(|&t| (-base.cumulative_hazard_at(t) * eta.exp()).exp())
            .collect())
    }
}
