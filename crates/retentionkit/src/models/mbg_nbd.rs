//! The MBG/NBD model of repeat buying (non-contractual, continuous time): the
//! BG/NBD with a chance to drop out at time 0 as well.
//!
//! While alive, a customer buys as a Poisson process with rate λ ~
//! gamma(r, α); at the first purchase and after each repeat purchase they
//! drop out with probability p ~ beta(a, b), so unlike the BG/NBD a customer
//! without repeat purchases may be gone. For a customer with x repeat
//! purchases, the last at t_x, and age T (Batislam, Denizel & Filiztekin
//! 2007, appendix A, with the corrections of Wagner & Hoppe 2008):
//!
//! $$ L = \frac{B(a, b + x + 1)}{B(a, b)} \frac{\Gamma(r + x)\\,\alpha^r}{\Gamma(r)}
//!        \left[(\alpha + T)^{-(r + x)} + \frac{a}{b + x} (\alpha + t_x)^{-(r + x)}\right] $$
//!
//! $$ P(\text{alive}) = \left[1 + \frac{a}{b + x}
//!      \left(\frac{\alpha + T}{\alpha + t_x}\right)^{r + x}\right]^{-1} $$
//!
//! $$ E[Y(t) \mid x, t_x, T] = \frac{a + b + x}{a - 1}
//!    \left[1 - \left(\frac{\alpha + T}{\alpha + T + t}\right)^{r + x}
//!    {}_2F_1\\!\left(r + x, b + x + 1; a + b + x; \tfrac{t}{\alpha + T + t}\right)\right]
//!    P(\text{alive}) $$
//!
//! $$ E[X(t)] = \frac{b}{a - 1}\left[1 - \left(\frac{\alpha}{\alpha + t}\right)^r
//!    {}_2F_1\\!\left(r, b + 1; a + b; \tfrac{t}{\alpha + t}\right)\right] $$
//!
//! These are the formulas of lifetimes' `ModifiedBetaGeoFitter`.
//!
//! Source: Batislam, E. P., Denizel, M. & Filiztekin, A. (2007), "Empirical
//! validation and comparison of models for customer base analysis",
//! International Journal of Research in Marketing 24(3), 201–209; Wagner, U.
//! & Hoppe, D. (2008), "Erratum on the MBG/NBD model", International Journal
//! of Research in Marketing 25(3), 225–226.

use crate::error::{invalid_arg, Result};
use crate::models::bg_nbd::Predictions;
use crate::models::check::ClvOptions;
use crate::models::data::{check_customer, RepeatData};
use crate::models::repeat::{discounted_factored, predict_factored};
use crate::models::{check_positive, counts};
use crate::optim::{boundary_status, fit_positive_warm, Fit, FitOptions, LogLikelihood};
use crate::special::ln_gamma;

/// Parameters of the MBG/NBD model.
///
/// Deserialization checks the parameters as [`MbgNbdParams::new`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "MbgNbdParamsRaw"))]
pub struct MbgNbdParams {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma distribution of purchase rates, in the data's time unit.
    pub alpha: f64,
    /// First shape of the beta distribution of drop-out probabilities.
    pub a: f64,
    /// Second shape of the beta distribution of drop-out probabilities.
    pub b: f64,
}

checked_serde!(MbgNbdParams by new, MbgNbdParamsRaw {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
});

/// L = exp(common) (exp(t1) + exp(t2)) (module doc).
struct Terms {
    common: f64,
    t1: f64,
    t2: f64,
}

impl MbgNbdParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) unless all
    /// are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// assert_eq!(p.b, 1.614);
    /// assert!(MbgNbdParams::new(0.5, 6.0, -1.0, 1.6).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        check_positive(r, "r")?;
        check_positive(alpha, "alpha")?;
        check_positive(a, "a")?;
        check_positive(b, "b")?;
        Ok(Self { r, alpha, a, b })
    }

    fn terms(&self, x: f64, t_x: f64, t: f64) -> Terms {
        let Self { r, alpha, a, b } = *self;
        let common = ln_gamma(r + x) - ln_gamma(r)
            + r * alpha.ln()
            + ln_gamma(a + b)
            + ln_gamma(b + x + 1.0)
            - ln_gamma(b)
            - ln_gamma(a + b + x + 1.0);
        Terms {
            common,
            t1: -(r + x) * (alpha + t).ln(),
            t2: a.ln() - (b + x).ln() - (r + x) * (alpha + t_x).ln(),
        }
    }

    /// The log-likelihood of the data: Σ weight · ln L (module doc).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{mbg_nbd::MbgNbdParams, RepeatData};
    /// // r = α = a = b = 1, one customer with x = 1, t_x = 1, T = 2:
    /// // B(1, 3)/B(1, 1) = 1/3; Γ(2) α / Γ(1) = 1;
    /// // bracket 3^−2 + 1/2 × 2^−2 = 1/9 + 1/8 = 17/72; L = 17/216.
    /// let p = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let d = RepeatData::new(&[1], &[1.0], &[2.0], None)?;
    /// assert!((p.log_likelihood(&d) - (17.0f64 / 216.0).ln()).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &RepeatData) -> f64 {
        (0..data.len())
            .map(|i| {
                let k = self.terms(data.x[i], data.t_x[i], data.t[i]);
                data.weight[i] * (k.common + log_add(k.t1, k.t2))
            })
            .sum()
    }

    /// Probability that a customer with `frequency` repeat purchases, the
    /// last at `recency`, and age `age` is still alive (module doc). Below
    /// 1 for x = 0 too: the MBG/NBD lets customers drop out at their first
    /// purchase.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), by the rules of [`RepeatData::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // a/(b + x) ((α + T)/(α + t_x))^(r + x) with r = α = a = b = 1,
    /// // x = 1, t_x = 1, T = 3: 1/2 × (4/2)² = 2, so P = 1/(1 + 2) = 1/3;
    /// // x = 0, T = 3: 1/1 × (4/1)¹ = 4, P = 1/5.
    /// let p = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_alive(1, 1.0, 3.0)? - 1.0 / 3.0).abs() < 1e-15);
    /// assert!((p.probability_alive(0, 0.0, 3.0)? - 0.2).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        Ok(self.p_alive(f64::from(frequency), recency, age))
    }

    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let l = a.ln() - (b + x).ln() + (r + x) * ((alpha + t).ln() - (alpha + t_x).ln());
        // 1 / (1 + e^l), without overflow for large l.
        if l > 0.0 {
            let e = (-l).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + l.exp())
        }
    }

    /// Expected number of purchases in the next `horizon` time units of a
    /// customer with (x, t_x, T) = (`frequency`, `recency`, `age`) (module
    /// doc).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), a negative or non-finite `horizon`, a = 1
    /// (the formula divides by a − 1), or a hypergeometric series that does
    /// not converge.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // lifetimes 0.11.3's ModifiedBetaGeoFitter with these parameters gives
    /// // 0.7532138347172751 for x = 1, t_x = 30.43, T = 38.86 over 39 weeks
    /// // (tests/data/models/lifetimes_mbg_nbd.txt).
    /// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// assert!((p.expected_purchases(1, 30.43, 38.86, 39.0)? - 0.753_213_834_717_275_1).abs() < 1e-9);
    /// assert_eq!(p.expected_purchases(1, 30.43, 38.86, 0.0)?, 0.0);
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
        crate::error::check_non_negative(horizon, "horizon")?;
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let Self { r, alpha, a, b } = *self;
        self.check_a()?;
        let x = f64::from(frequency);
        // Given alive at T: BG/NBD afresh with (r + x, α + T, a, b + x + 1)
        // (see `counts`), whose mean is the bracket of the module doc over
        // a − 1, summed without cancellation.
        let if_alive =
            counts::beta_geometric_expected(horizon, (r + x, alpha + age, a, b + x + 1.0))?;
        finite(if_alive * self.p_alive(x, recency, age))
    }

    /// [`RepeatModel::discounted_purchases`](crate::models::repeat::RepeatModel::discounted_purchases),
    /// by the same factoring as [`MbgNbdParams::predict_columns`].
    pub(crate) fn discounted_purchases(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        let Self { r, alpha, a, b } = *self;
        discounted_factored(
            frequency,
            recency,
            age,
            options,
            |x, tx, t| self.p_alive(x, tx, t),
            |x, t, h| {
                self.check_a()?;
                counts::beta_geometric_expected(h, (r + x, alpha + t, a, b + x + 1.0))
            },
        )
    }

    /// [`RepeatModel::predict_columns`](crate::models::repeat::RepeatModel::predict_columns):
    /// the hypergeometric part of E[Y(t) | x, t_x, T] depends on (x, T)
    /// only, so it is evaluated once per distinct pair; P(alive) per row.
    pub(crate) fn predict_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        let Self { r, alpha, a, b } = *self;
        predict_factored(
            frequency,
            recency,
            age,
            horizon,
            |x, tx, t| self.p_alive(x, tx, t),
            |x, t| {
                self.check_a()?;
                counts::beta_geometric_expected(horizon, (r + x, alpha + t, a, b + x + 1.0))
            },
        )
    }

    /// Expected number of repeat purchases in `horizon` time units of a
    /// customer just acquired (module doc).
    ///
    /// # Errors
    /// As [`MbgNbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // lifetimes 0.11.3's expected_number_of_purchases_up_to_time(39) with
    /// // these parameters: 1.1829536655971713 (tests/data/models/lifetimes_mbg_nbd.txt).
    /// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// assert!((p.expected_purchases_new(39.0)? - 1.182_953_665_597_171_3).abs() < 1e-9);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        crate::error::check_non_negative(horizon, "horizon")?;
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let Self { r, alpha, a, b } = *self;
        self.check_a()?;
        // Survive the flip at the first purchase (probability b/(a + b)),
        // then BG/NBD with (r, α, a, b + 1): b/(a + b) · (a + b)/(a − 1) [1 − …]
        // is the module doc's b/(a − 1) [1 − …].
        let later = counts::beta_geometric_expected(horizon, (r, alpha, a, b + 1.0))?;
        finite(b / (a + b) * later)
    }

    /// Probability that a customer just acquired makes exactly `n` repeat
    /// purchases in `horizon` time units (Batislam, Denizel & Filiztekin
    /// 2007; the form is derived in [`counts`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // lifetimes 0.11.3's probability_of_n_purchases_up_to_time(39, 0):
    /// // 0.5824731894932891 (tests/data/models/lifetimes_counts.txt).
    /// let p = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// assert!((p.probability_of_purchases_new(39.0, 0)? - 0.582_473_189_493_289_1).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        crate::error::check_non_negative(horizon, "horizon")?;
        counts::beta_geometric_pmf(n, horizon, (self.r, self.alpha, self.a, self.b), 1)
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) makes exactly `n` purchases in the next `horizon`
    /// time units: P(alive) times the BG/NBD probability of a new customer
    /// with parameters (r + x, α + T, a, b + x + 1), plus 1 − P(alive) for
    /// n = 0 (derivation in [`counts`]). Its mean over n is
    /// [`MbgNbdParams::expected_purchases`].
    ///
    /// # Errors
    /// As [`MbgNbdParams::probability_alive`], and for a negative or
    /// non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // r = α = a = b = 1, x = 0, T = 3: P(alive) = 1/5 (see
    /// // probability_alive). Given alive, λ ~ gamma(1, 4); P(no purchase in
    /// // 4 more) = E[e^{−4λ}] = 4/8, so P(0) = 4/5 + 1/5 × 1/2 = 0.9.
    /// let p = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_of_purchases(0, 0.0, 3.0, 4.0, 0)? - 0.9).abs() < 1e-14);
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
        crate::error::check_non_negative(horizon, "horizon")?;
        let x = f64::from(frequency);
        let Self { r, alpha, a, b } = *self;
        let fresh =
            counts::beta_geometric_pmf(n, horizon, (r + x, alpha + age, a, b + x + 1.0), 0)?;
        counts::mix_with_gone(n, self.p_alive(x, recency, age), fresh)
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) is still alive at T + `horizon`: as
    /// [`BgNbdParams::probability_alive_at`](crate::models::bg_nbd::BgNbdParams::probability_alive_at)
    /// with this model's P(alive at T) and p ~ beta(a, b + x + 1) given
    /// alive (the flip at the first purchase too; [`counts`]):
    ///
    /// $$ P(\text{alive at } T + t) = P(\text{alive at } T)
    ///    \left(\frac{\alpha + T}{\alpha + T + t}\right)^{r + x}
    ///    {}_2F_1\\!\left(r + x, b + x + 1; a + b + x + 1; \tfrac{t}{\alpha + T + t}\right). $$
    ///
    /// # Errors
    /// As [`MbgNbdParams::probability_of_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::mbg_nbd::MbgNbdParams;
    /// // r = α = a = b = 1, x = 0, T = 3: P(alive) = 1/5. Given alive,
    /// // λ ~ gamma(1, 4) and p ~ beta(1, 2): surviving 4 more is
    /// // E[4/(4 + 4p)] = ∫₀¹ 2(1 − p)/(1 + p) dp = 4 ln 2 − 2.
    /// let p = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let want = 0.2 * (4.0 * std::f64::consts::LN_2 - 2.0);
    /// assert!((p.probability_alive_at(0, 0.0, 3.0, 4.0)? - want).abs() < 1e-14);
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
        crate::error::check_non_negative(horizon, "horizon")?;
        let x = f64::from(frequency);
        let Self { r, alpha, a, b } = *self;
        let stay = counts::beta_geometric_survival(horizon, (r + x, alpha + age, a, b + x + 1.0))?;
        Ok(self.p_alive(x, recency, age) * stay)
    }

    /// DERT of a customer (x, t_x, T) at the continuous discount rate
    /// `discount_rate` per time unit: ∫₀^∞ e^{−δu} dE[Y(u)] with E[Y(u)] of
    /// [`MbgNbdParams::expected_purchases`] ([`crate::models::distribution`]
    /// derives how it is evaluated).
    ///
    /// # Errors
    /// As [`MbgNbdParams::expected_purchases`];
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// `discount_rate` unless it is finite and positive.
    pub fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        let x = f64::from(frequency);
        let Self { r, alpha, a, b } = *self;
        crate::models::distribution::beta_geometric_dert(
            discount_rate,
            self.p_alive(x, recency, age),
            (r + x, alpha + age, a, b + x + 1.0),
        )
    }

    fn check_a(&self) -> Result<()> {
        if self.a == 1.0 {
            return Err(invalid_arg(
                "a",
                "the expected-purchases formula divides by a − 1, so a = 1 is not supported",
            ));
        }
        Ok(())
    }
}

fn finite(v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid_arg(
            "horizon",
            format!("the expected number of purchases is not finite ({v})"),
        ))
    }
}

/// ln(e^t1 + e^t2).
fn log_add(t1: f64, t2: f64) -> f64 {
    let m = t1.max(t2);
    m + ((t1 - m).exp() + (t2 - m).exp()).ln()
}

/// LL and its gradient in (r, α, a, b).
fn ll_and_gradient(p: &MbgNbdParams, d: &RepeatData) -> (f64, [f64; 4]) {
    // The BG/NBD likelihood with the drop-out chance at time 0 (its doc).
    crate::models::bg_nbd::beta_geometric_ll::<1>((p.r, p.alpha, p.a, p.b), d)
}

/// The log-likelihood and its gradient at (r, α, a, b) on `data`: what
/// [`fit_mbg_nbd`] maximises, and what the covariance of
/// [`crate::models::interval`] differentiates.
pub(crate) fn log_likelihood_fn(
    data: &RepeatData,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + '_ {
    move |v: &[f64]| {
        let p = MbgNbdParams {
            r: v[0],
            alpha: v[1],
            a: v[2],
            b: v[3],
        };
        let (ll, g) = ll_and_gradient(&p, data);
        Some((ll, g.to_vec()))
    }
}

/// Fit the MBG/NBD model by maximum likelihood.
///
/// The search runs on the logarithms of (r, α, a, b), from r = a = b = 1
/// and α = the mean age, then from other starts if that one does not
/// converge; see [`crate::optim`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite `options.penalizer`. A fit that does not converge is not an
/// error: see [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::{mbg_nbd::{fit_mbg_nbd, MbgNbdParams}, RepeatData};
/// use retentionkit::optim::FitOptions;
/// // Four customers: (x, t_x, T) in weeks.
/// let data = RepeatData::new(&[0, 1, 3, 5], &[0.0, 10.0, 20.0, 30.0], &[30.0, 30.0, 30.0, 31.0], None)?;
/// let fit = fit_mbg_nbd(&data, &FitOptions::default())?;
/// assert!(fit.log_likelihood.is_finite());
/// // The fit is at least as likely as any typed-in parameters.
/// let other = MbgNbdParams::new(1.0, 5.0, 1.0, 2.0)?;
/// assert!(fit.log_likelihood >= other.log_likelihood(&data));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_mbg_nbd(data: &RepeatData, options: &FitOptions) -> Result<Fit<MbgNbdParams>> {
    let from = |v: &[f64]| MbgNbdParams {
        r: v[0],
        alpha: v[1],
        a: v[2],
        b: v[3],
    };
    // Large data: first a fit on a sample of the rows (the estimates do
    // not change, see `optim::fit_positive_warm`).
    let sample = data.start_sample();
    let sample_ll = sample.as_ref().map(log_likelihood_fn);
    let warm = sample.as_ref().zip(sample_ll.as_ref()).map(|(d, ll)| {
        (
            ll as LogLikelihood,
            d.customers(),
            crate::models::bg_nbd::starts(d).to_vec(),
        )
    });
    let f = fit_positive_warm(
        &log_likelihood_fn(data),
        data.customers(),
        &crate::models::bg_nbd::starts(data),
        options,
        warm,
    )?;
    let params = from(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from),
        log_likelihood: params.log_likelihood(data),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: boundary_status(
            f.status,
            &[params.r, params.a, params.b],
            &[(params.alpha, data.mean_age())],
        ),
    })
}

#[cfg(test)]
mod tests;
