//! The maximiser behind every model fit: options, the fit result and its
//! status. The search itself (`minimize`) is private to the crate.
//!
//! Fits maximise a log-likelihood over parameters that must be positive, so
//! the search runs on their logarithms (unconstrained) with the analytic
//! gradient, by BFGS with a backtracking (Armijo) line search: Nocedal &
//! Wright, *Numerical Optimization*, 2nd ed. (2006), algorithm 6.1 and
//! section 3.1. Standard errors come from the inverse of the observed
//! information (the Hessian of −LL in the natural parameters), computed by
//! central differences of the analytic gradient.

/// How a fit ended (named in [`crate::names`]). A fit never returns NaN parameters: when it does not
/// converge, its parameters are the best point found and the status says why.
///
/// # Examples
/// ```
/// use retentionkit::optim::FitStatus;
/// assert_eq!(FitStatus::MaxIterations.as_str(), "max_iterations");
/// assert_eq!(serde_json::to_string(&FitStatus::AtBoundary).unwrap(), r#""at_boundary""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FitStatus {
    /// The gradient vanished (within [`FitOptions::tolerance`]).
    Converged,
    /// [`FitOptions::max_iterations`] were used up first.
    MaxIterations,
    /// No step along the search direction improved the objective; the
    /// parameters are the best point found.
    LineSearchFailed,
    /// The estimate ran off towards the boundary of the parameter space:
    /// the likelihood keeps rising towards a limit model (no heterogeneity
    /// in a rate, no drop-out, …), so the parameters are not identified and
    /// their values mean little, however the search ended. The rule
    /// ([`boundary_status`]): a shape parameter (r, a, b, s, p, q, and all
    /// of BG/BB's and sBG's) outside [10⁻⁴, 10⁴], or a scale parameter
    /// (α, β in time units, Gamma-Gamma's v in currency) outside
    /// [10⁻⁶, 10⁶] times the data's own scale (the mean customer age, the
    /// mean spend), so the rule does not depend on the time unit or the
    /// currency. Source: docs/metrics.md, "Fit status". A Cox fit has its
    /// own rule (a coefficient running off to infinity), given at
    /// [`crate::survival::cox::cox_ph`].
    AtBoundary,
}

impl FitStatus {
    /// The warning every front-end shows next to a fit with this status
    /// (the CLI's terminal and HTML reports, Python's `warnings.warn`, the
    /// npm demo), or `None`. Only [`FitStatus::AtBoundary`] has one: its
    /// parameters look like an answer and are not.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::optim::FitStatus;
    /// assert!(FitStatus::AtBoundary.warning().unwrap().starts_with("the estimate ran off"));
    /// assert_eq!(FitStatus::Converged.warning(), None);
    /// ```
    pub fn warning(self) -> Option<&'static str> {
        match self {
            FitStatus::AtBoundary => Some(
                "the estimate ran off to the boundary of the parameter space (status at_boundary): \
                 the likelihood keeps rising towards a limit model, so the parameters are not \
                 identified; use more data, a penalizer, or a simpler model",
            ),
            _ => None,
        }
    }
}

/// Shapes beyond these bounds make a gamma or beta distribution a point
/// mass for any data set (coefficient of variation 1/√r below 1 % for a
/// gamma shape above 10⁴; all mass at an end below 10⁻⁴); see
/// [`FitStatus::AtBoundary`].
///
/// # Examples
/// ```
/// use retentionkit::optim::SHAPE_BOUNDS;
/// assert_eq!(SHAPE_BOUNDS, (1e-4, 1e4));
/// ```
pub const SHAPE_BOUNDS: (f64, f64) = (1e-4, 1e4);

/// Bounds of a scale parameter divided by the data's scale; see
/// [`FitStatus::AtBoundary`].
///
/// # Examples
/// ```
/// use retentionkit::optim::RELATIVE_SCALE_BOUNDS;
/// assert_eq!(RELATIVE_SCALE_BOUNDS, (1e-6, 1e6));
/// ```
pub const RELATIVE_SCALE_BOUNDS: (f64, f64) = (1e-6, 1e6);

/// The status of a fit whose search ended with `status` at an estimate with
/// these `shapes` and `scales` (each a (scale, the data's scale) pair):
/// [`FitStatus::AtBoundary`] when any shape is outside [`SHAPE_BOUNDS`] or
/// any scale over the data's is outside [`RELATIVE_SCALE_BOUNDS`], else
/// `status`. Source: docs/metrics.md, "Fit status".
///
/// # Examples
/// ```
/// use retentionkit::optim::{boundary_status, FitStatus};
/// // The CDNOW BG/NBD estimates (FHL 2005), mean age about 32 weeks.
/// let s = boundary_status(FitStatus::Converged, &[0.243, 0.793, 2.426], &[(4.414, 32.0)]);
/// assert_eq!(s, FitStatus::Converged);
/// // r = 2.4e10: the purchase rates are one rate; not identified.
/// let s = boundary_status(FitStatus::Converged, &[2.4e10, 0.8, 2.4], &[(1.5e11, 30.0)]);
/// assert_eq!(s, FitStatus::AtBoundary);
/// ```
pub fn boundary_status(status: FitStatus, shapes: &[f64], scales: &[(f64, f64)]) -> FitStatus {
    let inside = |v: f64, (lo, hi): (f64, f64)| v >= lo && v <= hi;
    if shapes.iter().all(|&v| inside(v, SHAPE_BOUNDS))
        && scales
            .iter()
            .all(|&(v, data)| inside(v / data, RELATIVE_SCALE_BOUNDS))
    {
        status
    } else {
        FitStatus::AtBoundary
    }
}

/// Options of a maximum-likelihood fit.
///
/// # Examples
/// ```
/// use retentionkit::optim::FitOptions;
/// let o = FitOptions::default();
/// assert_eq!((o.max_iterations, o.tolerance, o.penalizer), (1_000, 1e-9, 0.0));
/// let penalized = FitOptions::default().with_penalizer(0.001); // lifetimes' penalizer_coef
/// assert_eq!(penalized.penalizer, 0.001);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FitOptions {
    /// Iteration limit per start (default 1,000).
    pub max_iterations: usize,
    /// Convergence when every component of the gradient of the mean
    /// negative log-likelihood (per customer, in log-parameters) is below
    /// this (default 1e-9).
    pub tolerance: f64,
    /// L2 penalty λ ≥ 0 as in lifetimes: the fit minimises
    /// −LL / n + λ Σ θᵢ² over the natural parameters θ, n the number of
    /// customers (default 0, no penalty).
    pub penalizer: f64,
}

with_setters!("optim", FitOptions {
    with_max_iterations(max_iterations: usize) = (200 => 200),
    with_tolerance(tolerance: f64) = (1e-6 => 1e-6),
    with_penalizer(penalizer: f64) = (0.01 => 0.01),
});

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            max_iterations: 1_000,
            tolerance: 1e-9,
            penalizer: 0.0,
        }
    }
}

/// A fitted model.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::fit_bg_nbd, RepeatData};
/// use retentionkit::optim::{FitOptions, FitStatus};
/// let data = RepeatData::new(&[2, 0, 1, 4, 0, 1], &[30.0, 0.0, 12.0, 35.0, 0.0, 5.0], &[38.0, 20.0, 30.0, 39.0, 10.0, 25.0], None)?;
/// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
/// // Always the best point found, with its status: check it before trusting the numbers.
/// if fit.status == FitStatus::Converged {
///     assert!(fit.params.r > 0.0 && fit.log_likelihood < 0.0);
/// }
/// assert_eq!((fit.parameters, fit.observations), (4, 6.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fit<P> {
    /// The maximum-likelihood parameters (or the best point found, see `status`).
    pub params: P,
    /// Standard errors of the parameters from the inverse observed
    /// information; `None` when that matrix is not positive definite at
    /// `params` (for example a fit that did not converge).
    pub standard_errors: Option<P>,
    /// The log-likelihood at `params`, without the penalty.
    pub log_likelihood: f64,
    /// Number of free parameters k, counted by the fit.
    pub parameters: usize,
    /// Number of observations n the likelihood sums over, recorded by the
    /// fit from the data it saw: customers, weights counted (the repeat
    /// buyers for Gamma-Gamma, the cohort for sBG). Source:
    /// docs/metrics.md, "Choosing a model".
    pub observations: f64,
    /// Iterations used, over all starts.
    pub iterations: usize,
    /// Whether the fit converged.
    pub status: FitStatus,
}

/// An objective: value and gradient at a point, `None` outside its domain.
pub(crate) type Objective<'a> = &'a dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)>;

/// The end of a minimisation.
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub status: FitStatus,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn is_finite(v: f64, g: &[f64]) -> bool {
    v.is_finite() && g.iter().all(|x| x.is_finite())
}

/// Minimise `f` (value and gradient; `None` or non-finite outside its
/// domain) from `x0` by BFGS. `x0` must be a point where `f` is finite;
/// otherwise the result is `x0` with status [`FitStatus::LineSearchFailed`]
/// and value `+inf` (callers try another start).
#[allow(clippy::many_single_char_names)] // the textbook's names
pub(crate) fn minimize(f: Objective<'_>, x0: &[f64], options: &FitOptions) -> Minimum {
    minimize_with(f, x0, None, options)
}

/// [`minimize`] with `h0` as the first inverse-Hessian approximation
/// instead of the identity (BFGS takes any positive-definite one: Nocedal &
/// Wright, section 6.1); a failed line search along it falls back to the
/// steepest descent before giving up.
#[allow(clippy::many_single_char_names)] // the textbook's names
fn minimize_with(
    f: Objective<'_>,
    x0: &[f64],
    h0: Option<Vec<Vec<f64>>>,
    options: &FitOptions,
) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let (mut v, mut g) = match f(&x) {
        Some((v, g)) if is_finite(v, &g) => (v, g),
        _ => {
            return Minimum {
                x,
                value: f64::INFINITY,
                iterations: 0,
                status: FitStatus::LineSearchFailed,
            }
        }
    };
    let identity = |n: usize| -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect()
    };
    // Inverse-Hessian approximation.
    let mut fresh = h0.is_none();
    let mut h = h0.unwrap_or_else(|| identity(n));
    for it in 0..options.max_iterations {
        if g.iter().all(|gi| gi.abs() < options.tolerance) {
            return Minimum {
                x,
                value: v,
                iterations: it,
                status: FitStatus::Converged,
            };
        }
        let mut p: Vec<f64> = h.iter().map(|row| -dot(row, &g)).collect();
        if dot(&p, &g) >= 0.0 {
            h = identity(n);
            fresh = true;
            p = g.iter().map(|gi| -gi).collect();
        }
        // Backtracking line search with the Armijo condition (c1 = 1e-4);
        // steps longer than 20 in log-parameters are cut first.
        let pmax = p.iter().fold(0.0f64, |m, pi| m.max(pi.abs()));
        let mut t = if pmax > 20.0 { 20.0 / pmax } else { 1.0 };
        let slope = dot(&p, &g);
        let mut next = None;
        for _ in 0..80 {
            let xn: Vec<f64> = x.iter().zip(&p).map(|(xi, pi)| xi + t * pi).collect();
            if let Some((vn, gn)) = f(&xn) {
                if is_finite(vn, &gn) && vn <= v + 1e-4 * t * slope {
                    next = Some((xn, vn, gn));
                    break;
                }
            }
            t *= 0.5;
        }
        let Some((xn, vn, gn)) = next else {
            if fresh {
                return Minimum {
                    x,
                    value: v,
                    iterations: it,
                    status: FitStatus::LineSearchFailed,
                };
            }
            // Retry along the steepest descent before giving up.
            h = identity(n);
            fresh = true;
            continue;
        };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        let stalled = (v - vn).abs() <= 1e-16 * v.abs().max(1.0);
        (x, v, g) = (xn, vn, gn);
        if stalled && g.iter().all(|gi| gi.abs() < options.tolerance.sqrt()) {
            // No progress left at double precision, close to a stationary point.
            return Minimum {
                x,
                value: v,
                iterations: it + 1,
                status: FitStatus::Converged,
            };
        }
        if sy > 1e-300 {
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / yᵀs.
            let rho = 1.0 / sy;
            let hy: Vec<f64> = h.iter().map(|row| dot(row, &y)).collect();
            let yhy = dot(&y, &hy);
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += -rho * (s[i] * hy[j] + hy[i] * s[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
            fresh = false;
        }
    }
    Minimum {
        x,
        value: v,
        iterations: options.max_iterations,
        status: FitStatus::MaxIterations,
    }
}

/// Minimise `f` from each start in turn until one converges; the best
/// result (converged first, then the lowest value) and the iterations used
/// over all starts. `None` only for no starts.
pub(crate) fn minimize_from(
    f: Objective<'_>,
    starts: &[Vec<f64>],
    options: &FitOptions,
) -> Option<(Minimum, usize)> {
    let mut best: Option<Minimum> = None;
    let mut iterations = 0;
    for x0 in starts {
        let m = minimize(f, x0, options);
        iterations += m.iterations;
        let converged = |m: &Minimum| m.status == FitStatus::Converged;
        let better = best.as_ref().is_none_or(|b| {
            (converged(&m) && !converged(b)) || (converged(&m) == converged(b) && m.value < b.value)
        });
        if better {
            best = Some(m);
        }
        if best.as_ref().is_some_and(converged) {
            break;
        }
    }
    let mut best = best?;
    if best.status == FitStatus::Converged {
        polish(f, &mut best);
    }
    Some((best, iterations))
}

/// Newton steps from a converged BFGS minimum, with the Hessian by central
/// differences of the gradient (steps of 1e-5 · max(|xᵢ|, 1)); a step is
/// kept while it shrinks the largest gradient component without raising the
/// value beyond rounding. From the stopping gradient (< [`FitOptions::tolerance`])
/// one step reaches the rounding noise of the gradient, since the
/// convergence is quadratic up to the Hessian's relative error (about
/// 1e-10); a second step is taken only when the first shrank the gradient
/// less than a thousandfold. The cost: one gradient at the minimum, 2n for
/// the Hessian and one per step (10 for a four-parameter model).
///
/// Why: BFGS stops anywhere in a small ball around the optimum (relative
/// 1e-8 in the parameters for a gradient of 1e-9), and where exactly
/// depends on the last bits of `ln`, `exp` and `ln Γ`, which differ between
/// a native and a wasm32 build. After the polish both land on the optimum
/// to about 1e-13, so the CLI, Python and the npm package report the same
/// estimates (tests/cross/compare.py checks 1e-12).
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn polish(f: Objective<'_>, m: &mut Minimum) {
    let n = m.x.len();
    let largest = |g: &[f64]| g.iter().fold(0.0f64, |a, gi| a.max(gi.abs()));
    for _ in 0..2 {
        let Some((_, g)) = f(&m.x).filter(|(v, g)| is_finite(*v, g)) else {
            return;
        };
        let g_max = largest(&g);
        if g_max == 0.0 {
            return;
        }
        let mut hess = vec![vec![0.0; n]; n];
        for j in 0..n {
            let h = 1e-5 * m.x[j].abs().max(1.0);
            let (mut up, mut down) = (m.x.clone(), m.x.clone());
            up[j] += h;
            down[j] -= h;
            let (Some((_, gu)), Some((_, gd))) = (f(&up), f(&down)) else {
                return;
            };
            for i in 0..n {
                hess[i][j] = (gu[i] - gd[i]) / (2.0 * h);
            }
        }
        for i in 0..n {
            for j in 0..i {
                let avg = 0.5 * (hess[i][j] + hess[j][i]);
                hess[i][j] = avg;
                hess[j][i] = avg;
            }
        }
        // Coordinates on which the objective is exactly flat (gradient and
        // Hessian row zero: a covariate effect that no customer's value
        // moves) stay where they are; the Newton step is taken in the rest,
        // which for every other fit is all coordinates.
        let active: Vec<usize> = (0..n)
            .filter(|&j| g[j] != 0.0 || hess[j].iter().any(|&h| h != 0.0))
            .collect();
        let sub: Vec<Vec<f64>> = active
            .iter()
            .map(|&i| active.iter().map(|&j| hess[i][j]).collect())
            .collect();
        let Some(inv) = invert_spd(&sub) else {
            return;
        };
        let g_active: Vec<f64> = active.iter().map(|&j| g[j]).collect();
        let mut xn = m.x.clone();
        for (a, &i) in active.iter().enumerate() {
            xn[i] = m.x[i] - dot(&inv[a], &g_active);
        }
        match f(&xn) {
            Some((vn, gn))
                if is_finite(vn, &gn)
                    && largest(&gn) < g_max
                    && vn <= m.value + 1e-12 * m.value.abs().max(1.0) =>
            {
                m.x = xn;
                m.value = vn;
                if largest(&gn) < 1e-3 * g_max {
                    // Quadratic convergence: what is left is rounding.
                    return;
                }
            }
            _ => return,
        }
    }
}

/// A model's log-likelihood and its gradient at natural parameters θ (all
/// positive); `None` outside its domain.
pub(crate) type LogLikelihood<'a> = &'a dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)>;

/// A maximum-likelihood fit over positive parameters, before it is dressed
/// as a model's [`Fit`].
pub(crate) struct PositiveFit {
    /// The estimates θ̂ (natural scale).
    pub params: Vec<f64>,
    /// Their standard errors, when the observed information is positive definite.
    pub standard_errors: Option<Vec<f64>>,
    pub iterations: usize,
    pub status: FitStatus,
    /// The n the objective was divided by: the data's customers.
    pub customers: f64,
    /// The inverse observed information H⁻¹ the standard errors come from.
    pub covariance: Option<Vec<Vec<f64>>>,
}

/// A fit on a sample of the data, to start the fit on all of it from
/// ([`fit_positive_warm`]): its log-likelihood, customers and starts.
pub(crate) type Sample<'a> = (LogLikelihood<'a>, f64, Vec<Vec<f64>>);

/// What every model fit does: minimise −LL(θ) / n + λ Σ θᵢ² (λ =
/// `options.penalizer`, n = `customers`) over ln θ by BFGS from each of
/// `starts` (natural scale) until one converges, then take standard errors
/// from the Hessian of −LL at the estimate.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite penalizer, or when the log-likelihood is not finite at any
/// start.
pub(crate) fn fit_positive(
    ll: LogLikelihood<'_>,
    customers: f64,
    starts: &[Vec<f64>],
    options: &FitOptions,
) -> crate::Result<PositiveFit> {
    fit_positive_warm(ll, customers, starts, options, None)
}

/// [`fit_positive`], first from the estimates of a fit on `sample` (a
/// subset of the data's rows), BFGS's first inverse Hessian the one the
/// sample's covariance Σₛ implies for the whole data, nₛ Σₛᵢⱼ/(θᵢ θⱼ) over
/// ln θ (the information grows with the customers, so the whole data's
/// covariance is about Σₛ nₛ/n, and the objective is divided by n); then,
/// if that does not converge, from `starts` as [`fit_positive`]. Both ways
/// end with the same Newton polish, which lands on the optimum to about
/// 1e-13 whichever start BFGS came from, so the warm start changes the
/// cost, not the estimates: a fit of ~10⁶ distinct rows takes a few
/// iterations instead of twenty (the report's BG/NBD at 10⁷ orders).
pub(crate) fn fit_positive_warm(
    ll: LogLikelihood<'_>,
    customers: f64,
    starts: &[Vec<f64>],
    options: &FitOptions,
    sample: Option<Sample<'_>>,
) -> crate::Result<PositiveFit> {
    crate::error::check_non_negative(options.penalizer, "penalizer")?;
    let objective = penalized(ll, customers, options.penalizer);
    let log_starts: Vec<Vec<f64>> = starts
        .iter()
        .map(|s| s.iter().map(|v| v.ln()).collect())
        .collect();
    let no_start =
        || crate::error::invalid_arg("data", "the log-likelihood is not finite at any start");
    let warm = sample.and_then(|(sample_ll, n_sample, sample_starts)| {
        let f = fit_positive(sample_ll, n_sample, &sample_starts, options).ok()?;
        let cov = f.covariance.filter(|_| f.status == FitStatus::Converged)?;
        let p = &f.params;
        let h0 = log_scale_inverse_hessian(n_sample, p, |i, j| cov[i][j]);
        let x0: Vec<f64> = p.iter().map(|v| v.ln()).collect();
        let mut m = minimize_with(&objective, &x0, Some(h0), options);
        m.iterations += f.iterations;
        (m.status == FitStatus::Converged && m.value.is_finite()).then(|| {
            polish(&objective, &mut m);
            m
        })
    });
    let (m, iterations) = match warm {
        Some(m) => {
            let iterations = m.iterations;
            (m, iterations)
        }
        None => minimize_from(&objective, &log_starts, options).ok_or_else(no_start)?,
    };
    if !m.value.is_finite() {
        return Err(no_start());
    }
    let params: Vec<f64> = m.x.iter().map(|t| t.exp()).collect();
    let grad = |v: &[f64]| {
        if v.iter().any(|x| *x <= 0.0) {
            return None;
        }
        let (_, g) = ll(v)?;
        Some(g.iter().map(|g| -g).collect())
    };
    let covariance = covariance(&grad, &params);
    let standard_errors = covariance.as_ref().and_then(|c| {
        let se: Vec<f64> = (0..c.len()).map(|i| c[i][i].sqrt()).collect();
        se.iter().all(|s| s.is_finite() && *s > 0.0).then_some(se)
    });
    Ok(PositiveFit {
        standard_errors,
        params,
        iterations,
        status: m.status,
        customers,
        covariance,
    })
}

/// The inverse Hessian over ln θ of the objective −LL/n that a covariance
/// Σ of the natural parameters θ implies near the optimum (where the
/// gradient vanishes): `scale` Σᵢⱼ/(θᵢ θⱼ), `scale` the customers Σ is the
/// covariance for (derived here; the first inverse Hessian of a warm-started
/// BFGS).
fn log_scale_inverse_hessian(
    scale: f64,
    theta: &[f64],
    sigma: impl Fn(usize, usize) -> f64,
) -> Vec<Vec<f64>> {
    (0..theta.len())
        .map(|i| {
            (0..theta.len())
                .map(|j| scale * sigma(i, j) / (theta[i] * theta[j]))
                .collect()
        })
        .collect()
}

/// The objective of [`fit_positive`] over ln θ: −LL(θ) / n + λ Σ θᵢ² and
/// its gradient.
fn penalized(
    ll: LogLikelihood<'_>,
    customers: f64,
    lambda: f64,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + '_ {
    move |th: &[f64]| {
        let v: Vec<f64> = th.iter().map(|t| t.exp()).collect();
        let (value, g) = ll(&v)?;
        let pen: f64 = v.iter().map(|x| x * x).sum();
        Some((
            -value / customers + lambda * pen,
            g.iter()
                .zip(&v)
                .map(|(gj, vj)| (-gj / customers + 2.0 * lambda * vj) * vj)
                .collect(),
        ))
    }
}

/// The estimates and status of the fit of [`fit_positive`] from one
/// `start` near the optimum (a bootstrap replicate's, from the original
/// estimates), without standard errors or polish. With `covariance`, the
/// natural parameters' covariance Σ at a nearby optimum, BFGS starts from
/// the inverse Hessian of the objective it implies over ln θ, n Σᵢⱼ / (θᵢ θⱼ)
/// (the gradient vanishing there), so it takes Newton-like steps at once.
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite penalizer.
#[cfg(feature = "simulate")]
pub(crate) fn refit_positive(
    ll: LogLikelihood<'_>,
    customers: f64,
    start: &[f64],
    covariance: Option<&[[f64; 4]; 4]>,
    options: &FitOptions,
) -> crate::Result<(Vec<f64>, FitStatus)> {
    crate::error::check_non_negative(options.penalizer, "penalizer")?;
    let objective = penalized(ll, customers, options.penalizer);
    let h0 = covariance
        .filter(|_| start.len() == 4)
        .map(|c| log_scale_inverse_hessian(customers, start, |i, j| c[i][j]));
    let x0: Vec<f64> = start.iter().map(|v| v.ln()).collect();
    let m = minimize_with(&objective, &x0, h0, options);
    Ok((m.x.iter().map(|t| t.exp()).collect(), m.status))
}

/// Standard errors `sqrt(diag(H⁻¹))` from the Hessian `H` of −LL, computed
/// by central differences of `grad` (the gradient of −LL in the natural
/// parameters) at `theta`; `None` unless `H` is positive definite.
#[cfg(test)]
pub(crate) fn standard_errors(
    grad: &dyn Fn(&[f64]) -> Option<Vec<f64>>,
    theta: &[f64],
) -> Option<Vec<f64>> {
    let inv = covariance(grad, theta)?;
    let se: Vec<f64> = inv
        .iter()
        .enumerate()
        .map(|(i, row)| row[i].sqrt())
        .collect();
    se.iter().all(|s| s.is_finite() && *s > 0.0).then_some(se)
}

/// The inverse observed information `H⁻¹`, the asymptotic covariance of
/// the estimates, from the Hessian `H` of −LL by central differences of
/// `grad` (as [`standard_errors`], which takes its diagonal); `None` unless
/// `H` is positive definite.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub(crate) fn covariance(
    grad: &dyn Fn(&[f64]) -> Option<Vec<f64>>,
    theta: &[f64],
) -> Option<Vec<Vec<f64>>> {
    let n = theta.len();
    let mut hess = vec![vec![0.0; n]; n];
    for j in 0..n {
        let step = 1e-5 * theta[j].abs().max(1e-8);
        let mut up = theta.to_vec();
        let mut down = theta.to_vec();
        up[j] += step;
        down[j] -= step;
        let (gu, gd) = (grad(&up)?, grad(&down)?);
        for i in 0..n {
            hess[i][j] = (gu[i] - gd[i]) / (2.0 * step);
        }
    }
    // Symmetrise, then invert through the Cholesky factor (fails unless
    // positive definite).
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (hess[i][j] + hess[j][i]);
            hess[i][j] = m;
            hess[j][i] = m;
        }
    }
    invert_spd(&hess)
}

/// Inverse of a symmetric positive-definite matrix by Cholesky; `None` when
/// it is not positive definite.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
pub(crate) fn invert_spd(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Columns of A⁻¹ from L Lᵀ x = e_k.
    let mut inv = vec![vec![0.0; n]; n];
    for k in 0..n {
        let mut y = vec![0.0; n];
        for i in 0..n {
            let e = if i == k { 1.0 } else { 0.0 };
            y[i] = (e - (0..i).map(|j| l[i][j] * y[j]).sum::<f64>()) / l[i][i];
        }
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            x[i] = (y[i] - (i + 1..n).map(|j| l[j][i] * x[j]).sum::<f64>()) / l[i][i];
        }
        for i in 0..n {
            inv[i][k] = x[i];
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfgs_finds_the_rosenbrock_minimum() {
        // Rosenbrock: minimum 0 at (1, 1) (Nocedal & Wright, eq. 2.22).
        let f = |x: &[f64]| {
            let (a, b) = (x[0], x[1]);
            let v = 100.0 * (b - a * a).powi(2) + (1.0 - a).powi(2);
            let g = vec![
                -400.0 * a * (b - a * a) - 2.0 * (1.0 - a),
                200.0 * (b - a * a),
            ];
            Some((v, g))
        };
        let m = minimize(&f, &[-1.2, 1.0], &FitOptions::default());
        assert_eq!(m.status, FitStatus::Converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{:?}",
            m.x
        );
    }

    #[test]
    fn a_start_outside_the_domain_is_reported_not_nan() {
        let f = |x: &[f64]| (x[0] > 0.0).then(|| (x[0].ln(), vec![1.0 / x[0]]));
        let m = minimize(&f, &[-1.0], &FitOptions::default());
        assert_eq!(m.status, FitStatus::LineSearchFailed);
        assert_eq!(m.x, [-1.0]);
    }

    #[test]
    fn an_unbounded_objective_stops_at_the_iteration_limit() {
        // f(x) = −x has no minimum; every step is accepted.
        let f = |x: &[f64]| Some((-x[0], vec![-1.0]));
        let o = FitOptions {
            max_iterations: 50,
            ..FitOptions::default()
        };
        let m = minimize(&f, &[0.0], &o);
        assert_eq!(m.status, FitStatus::MaxIterations);
        assert!(m.x[0].is_finite() && m.x[0] > 0.0);
    }

    #[test]
    fn standard_errors_of_a_quadratic() {
        // −LL = (x² / σ₁² + y² / σ₂²) / 2 has Hessian diag(1/σ₁², 1/σ₂²), so
        // the standard errors are σ₁ = 2 and σ₂ = 0.5.
        let grad = |t: &[f64]| Some(vec![t[0] / 4.0, t[1] / 0.25]);
        let se = standard_errors(&grad, &[1.0, 1.0]).unwrap();
        assert!((se[0] - 2.0).abs() < 1e-6 && (se[1] - 0.5).abs() < 1e-6);
        // A saddle has no standard errors.
        let saddle = |t: &[f64]| Some(vec![t[0], -t[1]]);
        assert_eq!(standard_errors(&saddle, &[1.0, 1.0]), None);
    }
}
