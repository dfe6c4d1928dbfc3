//! The NBD model of repeat buying: Poisson purchases at a gamma-distributed
//! rate, and no drop-out.
//!
//! Each customer buys as a Poisson process with rate λ ~ gamma(r, α) for
//! ever (Ehrenberg 1959, "The Pattern of Consumer Purchases", Applied
//! Statistics 8(1), 26–41; Morrison & Schmittlein 1988, "Generalizing the
//! NBD Model for Customer Purchases: What Are the Implications and Is It
//! Worth the Effort?", Journal of Business & Economic Statistics 6(2),
//! 145–159). It is the restricted model inside the Pareto/NBD (drop-out
//! rate μ = 0, the limit s → 0 or β → ∞) and inside the BG/NBD (drop-out
//! probability p = 0, the limit a → 0), which is what
//! [`crate::models::choice::likelihood_ratio_test`] needs to ask whether
//! customers drop out at all.
//!
//! For a customer with x repeat purchases and age T the likelihood is the
//! density of the purchase times, λˣ e^{−λT} (t_x does not enter), mixed
//! over the gamma:
//!
//! $$ L = \frac{\Gamma(r + x)}{\Gamma(r)} \frac{\alpha^r}{(\alpha + T)^{r + x}}, $$
//!
//! the Pareto/NBD's likelihood (Fader, Hardie & Lee 2005, "A Note on
//! Deriving the Pareto/NBD Model and Related Expressions", equation 18) at
//! μ = 0 and the BG/NBD's (Fader, Hardie & Lee 2005, "Counting Your
//! Customers the Easy Way", equation 6) at p = 0, with the same constant, so
//! the three log-likelihoods compare. The posterior of λ is
//! gamma(r + x, α + T), so (derived here from the gamma–Poisson mixture):
//!
//! - P(alive) = 1 at every time;
//! - E[X(t)] = r t / α for a new customer, and
//!   E[X(T, T + t] | x, T] = (r + x) t / (α + T);
//! - P(X(t) = n) is the negative binomial of [`crate::models::counts`] with
//!   (r, α), and with (r + x, α + T) for an existing customer;
//! - DERT at the continuous discount rate δ is
//!   ∫₀^∞ e^{−δt} (r + x)/(α + T) dt = (r + x)/((α + T) δ).

use crate::error::{invalid_arg, Result};
use crate::models::data::{check_customer, RepeatData};
use crate::models::{check_positive, counts};
use crate::optim::{boundary_status, fit_positive, Fit, FitOptions};
use crate::special::{digamma, ln_gamma};

/// Parameters of the NBD model.
///
/// # Examples
/// ```
/// use retentionkit::models::nbd::NbdParams;
/// let p = NbdParams::new(0.5, 10.0)?;
/// // A new customer's expected purchases in 20 weeks: r t / α = 1.
/// assert!((p.expected_purchases_new(20.0)? - 1.0).abs() < 1e-15);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NbdParams {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma distribution of purchase rates, in the data's time unit.
    pub alpha: f64,
}

impl NbdParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) unless both
    /// are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// assert!(NbdParams::new(0.0, 1.0).is_err());
    /// ```
    pub fn new(r: f64, alpha: f64) -> Result<Self> {
        check_positive(r, "r")?;
        check_positive(alpha, "alpha")?;
        Ok(Self { r, alpha })
    }

    /// ln L of one customer (module doc) and its gradient in (r, α).
    fn ln_l(&self, x: f64, t: f64) -> (f64, [f64; 2]) {
        let Self { r, alpha } = *self;
        let (la, lat) = (alpha.ln(), (alpha + t).ln());
        (
            ln_gamma(r + x) - ln_gamma(r) + r * la - (r + x) * lat,
            [
                digamma(r + x) - digamma(r) + la - lat,
                r / alpha - (r + x) / (alpha + t),
            ],
        )
    }

    /// The log-likelihood of the data: Σ weight · ln L (module doc).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{nbd::NbdParams, RepeatData};
    /// // r = α = 1, x = 1, T = 3: L = Γ(2)/Γ(1) · 1/4² = 1/16, whatever t_x.
    /// let p = NbdParams::new(1.0, 1.0)?;
    /// let d = RepeatData::new(&[1], &[1.0], &[3.0], None)?;
    /// assert!((p.log_likelihood(&d) - (1.0f64 / 16.0).ln()).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &RepeatData) -> f64 {
        (0..data.len())
            .map(|i| data.weight[i] * self.ln_l(data.x[i], data.t[i]).0)
            .sum()
    }

    /// Probability that the customer is alive at T: 1, as nobody drops out
    /// (after checking (x, t_x, T) as [`RepeatData::new`] does).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// let p = NbdParams::new(0.5, 10.0)?;
    /// assert_eq!(p.probability_alive(0, 0.0, 100.0)?, 1.0);
    /// assert!(p.probability_alive(1, 5.0, 4.0).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        Ok(1.0)
    }

    /// Expected purchases in `(T, T + horizon]`: (r + x) t/(α + T) (module doc).
    ///
    /// # Errors
    /// As [`NbdParams::probability_alive`], and for a negative or
    /// non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// // (0.5 + 2) · 10 / (10 + 40) = 0.5.
    /// let p = NbdParams::new(0.5, 10.0)?;
    /// assert!((p.expected_purchases(2, 30.0, 40.0, 10.0)? - 0.5).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        check_horizon(horizon)?;
        Ok((self.r + f64::from(frequency)) * horizon / (self.alpha + age))
    }

    /// Expected repeat purchases of a new customer in `horizon`: r t/α.
    ///
    /// # Errors
    /// For a negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// assert_eq!(NbdParams::new(2.0, 4.0)?.expected_purchases_new(2.0)?, 1.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        check_horizon(horizon)?;
        Ok(self.r * horizon / self.alpha)
    }

    /// P(X(t) = n) for a new customer: the negative binomial (module doc).
    ///
    /// # Errors
    /// For a negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// // r = 1: geometric, P(0) = α/(α + t) = 1/2 at α = t.
    /// let p = NbdParams::new(1.0, 3.0)?;
    /// assert!((p.probability_of_purchases_new(3.0, 0)? - 0.5).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        check_horizon(horizon)?;
        nbd_pmf(f64::from(n), self.r, self.alpha, horizon)
    }

    /// P(X(T, T + t] = n | x, t_x, T): the negative binomial with
    /// (r + x, α + T) (module doc).
    ///
    /// # Errors
    /// As [`NbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// // r + x = 1, α + T = 4, t = 4: P(0) = 4/8.
    /// let p = NbdParams::new(1.0, 1.0)?;
    /// assert!((p.probability_of_purchases(0, 0.0, 3.0, 4.0, 0)? - 0.5).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
        n: u32,
    ) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        check_horizon(horizon)?;
        nbd_pmf(
            f64::from(n),
            self.r + f64::from(frequency),
            self.alpha + age,
            horizon,
        )
    }

    /// Probability that the customer is alive at T + `horizon`: 1.
    ///
    /// # Errors
    /// As [`NbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// assert_eq!(NbdParams::new(1.0, 1.0)?.probability_alive_at(2, 3.0, 5.0, 100.0)?, 1.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive_at(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        check_horizon(horizon)?;
        Ok(1.0)
    }

    /// DERT at the continuous discount rate δ per time unit:
    /// (r + x)/((α + T) δ) (module doc).
    ///
    /// # Errors
    /// As [`NbdParams::probability_alive`], and for a discount rate that is
    /// not finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::nbd::NbdParams;
    /// // (1 + 1)/((1 + 3) · 0.5) = 1.
    /// let p = NbdParams::new(1.0, 1.0)?;
    /// assert!((p.dert(1, 2.0, 3.0, 0.5)? - 1.0).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        check_positive(discount_rate, "discount_rate")?;
        Ok((self.r + f64::from(frequency)) / ((self.alpha + age) * discount_rate))
    }
}

fn check_horizon(horizon: f64) -> Result<()> {
    if horizon.is_finite() && horizon >= 0.0 {
        Ok(())
    } else {
        Err(invalid_arg(
            "horizon",
            format!("{horizon} must be finite and non-negative"),
        ))
    }
}

/// The negative binomial probability of n; at t = 0, 1 for n = 0 and 0
/// otherwise.
fn nbd_pmf(n: f64, r: f64, alpha: f64, t: f64) -> Result<f64> {
    if t == 0.0 {
        return Ok(if n == 0.0 { 1.0 } else { 0.0 });
    }
    let p = counts::ln_nbd_pmf(n, r, alpha, t).exp();
    if p.is_finite() {
        Ok(p)
    } else {
        Err(invalid_arg(
            "parameters",
            "the purchase-count probability is not finite for these parameters",
        ))
    }
}

/// Fit the NBD model by maximum likelihood, with the analytic gradient
/// (∂ln L/∂r = ψ(r + x) − ψ(r) + ln α − ln(α + T),
/// ∂ln L/∂α = r/α − (r + x)/(α + T)).
///
/// The search runs on ln r and ln α from r = 1 and α = the mean age, then
/// from other starts if that one does not converge ([`crate::optim`]); the
/// status is [`FitStatus::AtBoundary`](crate::optim::FitStatus::AtBoundary)
/// when r or α/T̄ leaves the bounds of [`crate::optim::SHAPE_BOUNDS`] and
/// [`crate::optim::RELATIVE_SCALE_BOUNDS`] (for example when nobody made a
/// repeat purchase).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite `options.penalizer`.
///
/// # Examples
/// ```
/// use retentionkit::models::{nbd::fit_nbd, pareto_nbd::fit_pareto_nbd, RepeatData};
/// use retentionkit::models::choice::likelihood_ratio_test;
/// use retentionkit::optim::FitOptions;
/// let data = RepeatData::new(
///     &[0, 0, 1, 1, 2, 3, 5, 7],
///     &[0.0, 0.0, 10.0, 30.0, 20.0, 35.0, 36.0, 38.0],
///     &[39.0, 32.0, 39.0, 35.0, 39.0, 39.0, 38.0, 39.0],
///     Some(&[300, 200, 60, 50, 30, 20, 10, 5]),
/// )?;
/// let nbd = fit_nbd(&data, &FitOptions::default())?;
/// let pareto = fit_pareto_nbd(&data, &FitOptions::default())?;
/// // The Pareto/NBD nests the NBD: its likelihood is at least as high.
/// assert!(pareto.log_likelihood >= nbd.log_likelihood - 1e-9);
/// // Do customers drop out? The drop-out rate 0 is on the boundary: 50:50 mixture.
/// let test = likelihood_ratio_test(&pareto.criteria(), &nbd.criteria(), true)?;
/// assert!(test.p_value.is_finite());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_nbd(data: &RepeatData, options: &FitOptions) -> Result<Fit<NbdParams>> {
    let from = |v: &[f64]| NbdParams {
        r: v[0],
        alpha: v[1],
    };
    let ll = |v: &[f64]| {
        let p = from(v);
        let (mut ll, mut g) = (0.0, vec![0.0; 2]);
        for i in 0..data.len() {
            let w = data.weight[i];
            let (l, d) = p.ln_l(data.x[i], data.t[i]);
            ll += w * l;
            g[0] += w * d[0];
            g[1] += w * d[1];
        }
        ll.is_finite().then_some((ll, g))
    };
    let t = data.mean_age();
    let starts = [
        vec![1.0, t],
        vec![0.1, 1.0],
        vec![0.5, (t / 10.0).max(1e-3)],
    ];
    let f = fit_positive(&ll, data.customers(), &starts, options)?;
    let params = from(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from),
        log_likelihood: params.log_likelihood(data),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: boundary_status(f.status, &[params.r], &[(params.alpha, t)]),
    })
}

#[cfg(test)]
mod tests;
