//! The Weibull accelerated-failure-time model with right censoring, in
//! lifelines' `WeibullAFTFitter` parametrisation.
//!
//! Source: docs/metrics.md, "Cox proportional hazards and the Weibull AFT
//! model"; Kalbfleisch & Prentice (2002), The Statistical Analysis of
//! Failure Time Data, 2nd ed., section 2.3.3 (the Weibull as an AFT model)
//! and section 3.6 (right-censored likelihood).

use super::cox::{concordance_of, prepare, risk_scores, RegressionData};
use crate::error::{check_length, invalid_arg, Error, Result};
use crate::optim::{invert_spd, FitStatus};
use crate::special::{chi2_sf, normal_quantile};

/// Options of [`weibull_aft`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AftOptions {
    /// Newton iteration limit (default 100).
    pub max_iterations: usize,
    /// Convergence when the Newton decrement $g^\top (-H)^{-1} g$ is below
    /// this (default 1e-16; the last step is still taken).
    pub tolerance: f64,
}

impl Default for AftOptions {
    fn default() -> Self {
        Self {
            max_iterations: 100,
            tolerance: 1e-16,
        }
    }
}

/// A fitted Weibull AFT model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WeibullAft {
    /// Coefficients of the covariates on $\ln\lambda$ (lifelines' `lambda_`).
    pub coefficients: Vec<f64>,
    /// Intercept of $\ln\lambda$.
    pub intercept: f64,
    /// $\ln\rho$ (lifelines' `rho_` intercept).
    pub log_rho: f64,
    /// Standard errors of `coefficients`.
    pub standard_errors: Vec<f64>,
    /// Standard error of `intercept`.
    pub intercept_se: f64,
    /// Standard error of `log_rho`.
    pub log_rho_se: f64,
    /// The log-likelihood at the estimate (all terms, as lifelines').
    pub log_likelihood: f64,
    /// Harrell's concordance index of the predicted median survival times
    /// on the data fitted (lifelines' `WeibullAFTFitter.concordance_index_`):
    /// the share of comparable pairs whose earlier event has the shorter
    /// predicted median, ties counted half (docs/metrics.md, "Cox
    /// proportional hazards and the Weibull AFT model"); `None` without a
    /// comparable pair.
    #[cfg_attr(feature = "serde", serde(default))]
    pub concordance: Option<f64>,
    /// Newton iterations used.
    pub iterations: usize,
    /// How the fit ended.
    pub status: FitStatus,
}

/// One parameter's row of [`WeibullAft::summary`], the columns of
/// lifelines' `WeibullAFTFitter.summary`.
///
/// # Examples
/// ```
/// use retentionkit::survival::aft::{weibull_aft, AftOptions};
/// use retentionkit::survival::cox::RegressionData;
/// let t = [1.0, 2.0, 3.0, 4.0, 6.0, 2.5];
/// let x = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0];
/// let e = [true, true, true, true, true, false];
/// let data = RegressionData { durations: &t, events: &e, covariates: &[&x], weights: None, strata: None };
/// let fit = weibull_aft(&data, &AftOptions::default())?;
/// let rho = fit.summary(0.9)?[2]; // ln ρ
/// assert_eq!(rho.exp_coef, fit.log_rho.exp()); // ρ, the Weibull shape
/// assert!(rho.coef_lower < rho.coef && rho.coef < rho.coef_upper);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AftCoefficient {
    /// The estimate.
    pub coef: f64,
    /// $e^{\text{coef}}$: for a covariate, the factor its unit stretches
    /// the time scale λ by.
    pub exp_coef: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower end of the Wald interval coef − z·se at the summary's level.
    pub coef_lower: f64,
    /// Upper end coef + z·se.
    pub coef_upper: f64,
    /// Wald z = coef / se.
    pub z: f64,
    /// Two-sided p-value of z, P(χ²₁ > z²).
    pub p_value: f64,
}

impl WeibullAft {
    /// The Wald summary of every parameter at the two-sided `level` (such
    /// as 0.95): the covariates' coefficients in their order, then the
    /// intercept of ln λ, then ln ρ (lifelines' rows `lambda_` …,
    /// `lambda_ Intercept`, `rho_ Intercept`). z = coef/se, p = P(χ²₁ >
    /// z²), interval coef ± Φ⁻¹((1 + level)/2)·se (docs/metrics.md, "Cox
    /// proportional hazards and the Weibull AFT model"; the same formulas
    /// as [`super::cox::CoxFit::summary`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `level` is not in (0, 1).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::survival::aft::{weibull_aft, AftOptions};
    /// use retentionkit::survival::cox::RegressionData;
    /// let t = [1.0, 2.0, 3.0, 4.0, 6.0, 2.5];
    /// let x = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0];
    /// let e = [true, true, true, true, true, false];
    /// let data = RegressionData { durations: &t, events: &e, covariates: &[&x], weights: None, strata: None };
    /// let fit = weibull_aft(&data, &AftOptions::default())?;
    /// let rows = fit.summary(0.95)?;
    /// assert_eq!(rows.len(), 3); // x, the intercept, ln ρ
    /// let b = rows[0];
    /// assert_eq!(b.z, fit.coefficients[0] / fit.standard_errors[0]);
    /// assert!((b.coef_upper - b.coef - 1.959963984540054 * b.se).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn summary(&self, level: f64) -> Result<Vec<AftCoefficient>> {
        if !(level > 0.0 && level < 1.0) {
            return Err(invalid_arg("level", format!("{level} must be in (0, 1)")));
        }
        let q = normal_quantile(f64::midpoint(1.0, level));
        let row = |coef: f64, se: f64| AftCoefficient {
            coef,
            exp_coef: coef.exp(),
            se,
            coef_lower: coef - q * se,
            coef_upper: coef + q * se,
            z: coef / se,
            p_value: chi2_sf((coef / se).powi(2), 1.0),
        };
        Ok(self
            .coefficients
            .iter()
            .zip(&self.standard_errors)
            .map(|(&b, &se)| row(b, se))
            .chain([
                row(self.intercept, self.intercept_se),
                row(self.log_rho, self.log_rho_se),
            ])
            .collect())
    }

    /// Survival $S(t \mid x) = \exp(-(t / \lambda(x))^\rho)$ of a subject
    /// with covariates `row` at each of `times`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `row` does not have one value per
    /// covariate; [`Error::InvalidValue`] for a non-finite covariate or a
    /// NaN or negative time.
    pub fn predict_survival(&self, row: &[f64], times: &[f64]) -> Result<Vec<f64>> {
        check_length("row", self.coefficients.len(), row.len())?;
        if let Some(i) = row.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                column: "row",
                row: i,
                reason: format!("{} is not finite", row[i]),
            });
        }
        if let Some(i) = times.iter().position(|t| t.is_nan() || *t < 0.0) {
            return Err(Error::InvalidValue {
                column: "times",
                row: i,
                reason: format!("{} is not a time >= 0", times[i]),
            });
        }
        let log_lambda = self.intercept
            + row
                .iter()
                .zip(&self.coefficients)
                .map(|(x, b)| x * b)
                .sum::<f64>();
        let rho = self.log_rho.exp();
        Ok(times
            .iter()
            .map(|&t| (-(t / log_lambda.exp()).powf(rho)).exp())
            .collect())
    }
}

/// Rows with covariates (an intercept column first) and their data.
struct Rows {
    x: Vec<f64>,
    k: usize,
    log_t: Vec<f64>,
    event: Vec<bool>,
    weight: Vec<f64>,
}

/// Log-likelihood, gradient and Hessian (row-major) in
/// $\theta = (b_0, b, \ln\rho)$; `None` when a value is not finite.
///
/// With $\eta_i = b_0 + x_i^\top b$, $z_i = \rho(\ln t_i - \eta_i)$, $u_i = e^{z_i}$:
/// $\ell_i = \delta_i(\ln\rho + z_i - \ln t_i) - u_i$,
/// $\partial\ell_i/\partial\eta = \rho(u_i - \delta_i)$,
/// $\partial\ell_i/\partial\ln\rho = \delta_i(1 + z_i) - u_i z_i$,
/// $\partial^2\ell_i/\partial\eta^2 = -\rho^2 u_i$,
/// $\partial^2\ell_i/\partial\eta\\,\partial\ln\rho = \rho(u_i - \delta_i + u_i z_i)$,
/// $\partial^2\ell_i/\partial(\ln\rho)^2 = \delta_i z_i - u_i z_i (1 + z_i)$.
#[allow(clippy::needless_range_loop)] // matrix code reads best with indices
fn likelihood(rows: &Rows, theta: &[f64]) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let k = rows.k;
    let m = k + 1;
    let s = theta[k];
    let rho = s.exp();
    let (mut ll, mut g, mut h) = (0.0, vec![0.0; m], vec![0.0; m * m]);
    for (i, x) in rows.x.chunks_exact(k).enumerate() {
        let eta: f64 = x.iter().zip(theta).map(|(a, b)| a * b).sum();
        let z = rho * (rows.log_t[i] - eta);
        let u = z.exp();
        let d = if rows.event[i] { 1.0 } else { 0.0 };
        let w = rows.weight[i];
        ll += w * (d * (s + z - rows.log_t[i]) - u);
        let d_eta = rho * (u - d);
        let d_s = d * (1.0 + z) - u * z;
        let h_ee = -rho * rho * u;
        let h_es = rho * (u - d + u * z);
        let h_ss = d * z - u * z * (1.0 + z);
        for a in 0..k {
            g[a] += w * d_eta * x[a];
            for b in 0..=a {
                h[a * m + b] += w * h_ee * x[a] * x[b];
            }
            h[k * m + a] += w * h_es * x[a];
        }
        g[k] += w * d_s;
        h[k * m + k] += w * h_ss;
    }
    for a in 0..m {
        for b in 0..a {
            h[b * m + a] = h[a * m + b];
        }
    }
    (ll.is_finite() && g.iter().chain(&h).all(|v| v.is_finite())).then_some((ll, g, h))
}

/// $(-H)^{-1}$ as rows, or `None` when $-H$ is not positive definite.
fn neg_inverse(h: &[f64], m: usize) -> Option<Vec<Vec<f64>>> {
    let neg: Vec<Vec<f64>> = (0..m)
        .map(|a| (0..m).map(|b| -h[a * m + b]).collect())
        .collect();
    invert_spd(&neg)
}

fn rows_of(data: &RegressionData<'_>, means: &[f64]) -> Result<Rows> {
    let n = data.durations.len();
    if n == 0 {
        return Err(Error::Empty { what: "durations" });
    }
    check_length("events", n, data.events.len())?;
    if data.strata.is_some() {
        return Err(invalid_arg("strata", "the Weibull AFT model has no strata"));
    }
    if let Some(row) = data
        .durations
        .iter()
        .position(|t| !(t.is_finite() && *t > 0.0))
    {
        return Err(Error::InvalidValue {
            column: "durations",
            row,
            reason: format!("{} is not a finite duration > 0", data.durations[row]),
        });
    }
    if !data.events.iter().any(|&e| e) {
        return Err(invalid_arg(
            "events",
            "no row has the event, so nothing can be estimated",
        ));
    }
    if let Some(w) = data.weights {
        check_length("weights", n, w.len())?;
        if let Some(row) = w.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(Error::InvalidValue {
                column: "weights",
                row,
                reason: format!("{} is not a finite weight > 0", w[row]),
            });
        }
    }
    for (j, c) in data.covariates.iter().enumerate() {
        check_length("covariates", n, c.len())?;
        if let Some(row) = c.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                column: "covariates",
                row,
                reason: format!("covariate {j}: {} is not finite", c[row]),
            });
        }
        if c.iter().all(|&v| v == c[0]) {
            return Err(Error::InvalidValue {
                column: "covariates",
                row: 0,
                reason: format!("covariate {j} is constant, so its coefficient is not identified"),
            });
        }
    }
    let k = data.covariates.len() + 1;
    let mut x = Vec::with_capacity(n * k);
    for i in 0..n {
        x.push(1.0);
        x.extend(data.covariates.iter().zip(means).map(|(c, m)| c[i] - m));
    }
    Ok(Rows {
        x,
        k,
        log_t: data.durations.iter().map(|t| t.ln()).collect(),
        event: data.events.to_vec(),
        weight: data.weights.map_or_else(|| vec![1.0; n], <[f64]>::to_vec),
    })
}

/// Newton–Raphson with step halving from $b = 0$, $b_0$ = the mean log
/// duration, $\rho = 1$: (θ, iterations, status).
fn newton(rows: &Rows, options: &AftOptions) -> Result<(Vec<f64>, usize, FitStatus)> {
    let m = rows.k + 1;
    let mut theta = vec![0.0; m];
    theta[0] = rows.log_t.iter().sum::<f64>() / rows.log_t.len() as f64;
    let singular = || {
        invalid_arg(
            "covariates",
            "the information matrix is singular: some covariates are collinear",
        )
    };
    let (mut ll, mut g, mut h) = likelihood(rows, &theta).ok_or_else(singular)?;
    let mut status = FitStatus::MaxIterations;
    let mut iterations = 0;
    while iterations < options.max_iterations {
        iterations += 1;
        // Away from the maximum −H may not be positive definite: then a
        // gradient step, scaled by the diagonal, instead.
        let delta: Vec<f64> = match neg_inverse(&h, m) {
            Some(inv) => inv
                .iter()
                .map(|r| r.iter().zip(&g).map(|(a, b)| a * b).sum())
                .collect(),
            None => (0..m).map(|a| g[a] / h[a * m + a].abs().max(1.0)).collect(),
        };
        let decrement: f64 = delta.iter().zip(&g).map(|(d, x)| d * x).sum();
        let mut step = 1.0;
        let accepted = loop {
            let trial: Vec<f64> = theta
                .iter()
                .zip(&delta)
                .map(|(t, d)| t + step * d)
                .collect();
            if let Some(next) = likelihood(rows, &trial) {
                if next.0 >= ll - 1e-12 * ll.abs().max(1.0) {
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
        theta = trial;
        (ll, g, h) = next;
        if decrement < options.tolerance && neg_inverse(&h, m).is_some() {
            status = FitStatus::Converged;
            break;
        }
    }
    Ok((theta, iterations, status))
}

/// Fit the Weibull accelerated-failure-time model by maximum likelihood
/// with right censoring and case weights.
///
/// # Formula
/// $S(t \mid x) = \exp\bigl(-(t/\lambda)^\rho\bigr)$ with
/// $\ln\lambda = b_0 + x^\top b$ and $\rho = e^{s}$ the same for everyone
/// (lifelines' `WeibullAFTFitter`: covariates on $\lambda$, $\rho$ with an
/// intercept only); a covariate multiplies the time scale by $e^{b_j}$.
/// The log-likelihood, events $\delta_i$, weights $w_i$:
/// $$ \ell = \sum_i w_i \Bigl[\delta_i \Bigl(\ln\frac{\rho}{\lambda_i} + (\rho - 1)\ln\frac{t_i}{\lambda_i}\Bigr)
///    \\;-\\; \Bigl(\frac{t_i}{\lambda_i}\Bigr)^{\rho}\Bigr] $$
/// Kalbfleisch & Prentice (2002), sections 2.3.3 and 3.6. Maximised by
/// Newton–Raphson with the analytic Hessian and step halving; standard
/// errors from the inverse observed information. Source: docs/metrics.md,
/// "Cox proportional hazards and the Weibull AFT model".
///
/// # Errors
/// [`Error::Empty`], [`Error::LengthMismatch`] as [`super::cox::cox_ph`];
/// [`Error::InvalidValue`] for a duration that is not finite and `> 0`, a
/// non-finite or constant covariate, or a weight not `> 0`;
/// [`Error::InvalidArgument`] for strata, no event, or a singular
/// information matrix at the estimate (collinear covariates).
///
/// # Examples
/// ```
/// use retentionkit::survival::aft::{weibull_aft, AftOptions};
/// use retentionkit::survival::cox::RegressionData;
/// // Months to churn of five subscribers, all churned; x = 1 for the annual plan.
/// let t = [1.0, 2.0, 3.0, 4.0, 6.0];
/// let x = [0.0, 1.0, 0.0, 1.0, 1.0];
/// let data = RegressionData { durations: &t, events: &[true; 5], covariates: &[&x], weights: None, strata: None };
/// let fit = weibull_aft(&data, &AftOptions::default())?;
/// assert!(fit.coefficients[0] > 0.0); // the annual plan stretches time to churn
/// // S(t | x) = exp(−(t/λ)^ρ): at t = λ it is e^{−1}.
/// let lambda = (fit.intercept + fit.coefficients[0]).exp();
/// let s = fit.predict_survival(&[1.0], &[lambda])?;
/// assert!((s[0] - (-1f64).exp()).abs() < 1e-12);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn weibull_aft(data: &RegressionData<'_>, options: &AftOptions) -> Result<WeibullAft> {
    let means: Vec<f64> = data
        .covariates
        .iter()
        .map(|c| c.iter().sum::<f64>() / c.len().max(1) as f64)
        .collect();
    let centred = rows_of(data, &means)?;
    let (theta_c, iterations, status) = newton(&centred, options)?;
    // Back to uncentred covariates: b₀ = b₀ᶜ − x̄ᵀb; the information there.
    let k = centred.k;
    let mut theta = theta_c.clone();
    theta[0] -= means
        .iter()
        .zip(&theta_c[1..k])
        .map(|(m, b)| m * b)
        .sum::<f64>();
    let rows = rows_of(data, &vec![0.0; means.len()])?;
    let singular = || {
        invalid_arg(
            "covariates",
            "the information matrix at the estimate is singular: some covariates are collinear",
        )
    };
    let (ll, _, h) = likelihood(&rows, &theta).ok_or_else(singular)?;
    let inv = neg_inverse(&h, k + 1).ok_or_else(singular)?;
    let se: Vec<f64> = (0..=k).map(|a| inv[a][a].sqrt()).collect();
    // The predicted median λ_i (ln 2)^{1/ρ} is increasing in x_iᵀb (ρ is
    // shared): a longer median is a lower risk, so the risk score of the
    // Cox module's count is −x_iᵀb.
    let minus_b: Vec<f64> = theta[1..k].iter().map(|b| -b).collect();
    let prep = prepare(data)?;
    let concordance = risk_scores(&prep, &minus_b).and_then(|eta| concordance_of(&prep, &eta));
    Ok(WeibullAft {
        coefficients: theta[1..k].to_vec(),
        intercept: theta[0],
        log_rho: theta[k],
        standard_errors: se[1..k].to_vec(),
        intercept_se: se[0],
        log_rho_se: se[k],
        log_likelihood: ll,
        concordance,
        iterations,
        status,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn data<'a>(t: &'a [f64], e: &'a [bool], cols: &'a [&'a [f64]]) -> RegressionData<'a> {
        RegressionData {
            durations: t,
            events: e,
            covariates: cols,
            weights: None,
            strata: None,
        }
    }

    /// The analytic gradient and Hessian equal central differences of the
    /// log-likelihood (and of the gradient) at an arbitrary point.
    #[test]
    fn gradient_and_hessian_equal_finite_differences() {
        let t = [0.5, 1.2, 2.0, 2.5, 3.1, 4.0, 5.5, 7.0];
        let e = [true, false, true, true, false, true, true, false];
        let x = [0.3, -1.0, 2.0, 0.0, 1.5, -0.4, 0.8, 1.1];
        let w = [1.0, 2.0, 0.5, 1.0, 1.5, 1.0, 3.0, 1.0];
        let cols: [&[f64]; 1] = [&x];
        let d = RegressionData {
            weights: Some(&w),
            ..data(&t, &e, &cols)
        };
        let rows = rows_of(&d, &[0.0]).unwrap();
        let theta = [0.7, -0.3, 0.2];
        let (_, g, h) = likelihood(&rows, &theta).unwrap();
        let eps = 1e-6;
        for a in 0..3 {
            let mut up = theta;
            let mut down = theta;
            up[a] += eps;
            down[a] -= eps;
            let (lu, gu, _) = likelihood(&rows, &up).unwrap();
            let (ld, gd, _) = likelihood(&rows, &down).unwrap();
            assert!(
                ((lu - ld) / (2.0 * eps) - g[a]).abs() < 1e-6,
                "gradient {a}"
            );
            for b in 0..3 {
                assert!(
                    ((gu[b] - gd[b]) / (2.0 * eps) - h[a * 3 + b]).abs() < 1e-5,
                    "hessian {a} {b}"
                );
            }
        }
    }

    /// At the estimate the gradient vanishes (the score equations hold).
    #[test]
    fn the_fit_solves_the_score_equations() {
        let t = [0.5, 1.2, 2.0, 2.5, 3.1, 4.0, 5.5, 7.0];
        let e = [true, false, true, true, false, true, true, false];
        let x = [0.3, -1.0, 2.0, 0.0, 1.5, -0.4, 0.8, 1.1];
        let cols: [&[f64]; 1] = [&x];
        let fit = weibull_aft(&data(&t, &e, &cols), &AftOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        let rows = rows_of(&data(&t, &e, &cols), &[0.0]).unwrap();
        let (ll, g, _) =
            likelihood(&rows, &[fit.intercept, fit.coefficients[0], fit.log_rho]).unwrap();
        assert!(g.iter().all(|v| v.abs() < 1e-9), "{g:?}");
        assert_eq!(ll, fit.log_likelihood);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let t = [1.0, 2.0, 3.0];
        let e = [true, false, true];
        let x = [0.0, 1.0, 3.0];
        let cols: [&[f64]; 1] = [&x];
        let o = AftOptions::default();
        let zero = [0.0, 2.0, 3.0];
        assert!(matches!(
            weibull_aft(&data(&zero, &e, &cols), &o),
            Err(Error::InvalidValue {
                column: "durations",
                row: 0,
                ..
            })
        ));
        assert!(matches!(
            weibull_aft(&data(&t, &[false; 3], &cols), &o),
            Err(Error::InvalidArgument { name: "events", .. })
        ));
        let s = [0u32, 1, 0];
        assert!(matches!(
            weibull_aft(
                &RegressionData {
                    strata: Some(&s),
                    ..data(&t, &e, &cols)
                },
                &o
            ),
            Err(Error::InvalidArgument { name: "strata", .. })
        ));
        let c = [1.0; 3];
        let constant: [&[f64]; 1] = [&c];
        assert!(matches!(
            weibull_aft(&data(&t, &e, &constant), &o),
            Err(Error::InvalidValue {
                column: "covariates",
                ..
            })
        ));
        assert!(matches!(
            weibull_aft(&data(&[], &[], &cols), &o),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            weibull_aft(&data(&t, &e[..2], &cols), &o),
            Err(Error::LengthMismatch {
                column: "events",
                ..
            })
        ));
        let fit = weibull_aft(&data(&t, &e, &cols), &o).unwrap();
        assert!(matches!(
            fit.predict_survival(&[1.0], &[-1.0]),
            Err(Error::InvalidValue { .. })
        ));
        assert!(matches!(
            fit.predict_survival(&[], &[1.0]),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
