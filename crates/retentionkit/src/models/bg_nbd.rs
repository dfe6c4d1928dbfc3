//! The BG/NBD model of repeat buying (non-contractual, continuous time).
//!
//! While alive, a customer buys as a Poisson process with rate λ ~
//! gamma(r, α); after each purchase they drop out with probability p ~
//! beta(a, b). For a customer with x repeat purchases, the last at t_x, and
//! age T (Fader, Hardie & Lee 2005, equations 6, 7, 10 and 13 of the paper,
//! and the appendix of their note "Implementing the BG/NBD Model in Excel"):
//!
//! $$ L = \frac{B(a, b + x)}{B(a, b)} \frac{\Gamma(r + x)\\,\alpha^r}{\Gamma(r)\\,(\alpha + T)^{r + x}}
//!      + \delta_{x > 0}\\, \frac{B(a + 1, b + x - 1)}{B(a, b)}
//!        \frac{\Gamma(r + x)\\,\alpha^r}{\Gamma(r)\\,(\alpha + t_x)^{r + x}} $$
//!
//! $$ P(\text{alive}) = \left[1 + \delta_{x > 0} \frac{a}{b + x - 1}
//!      \left(\frac{\alpha + T}{\alpha + t_x}\right)^{r + x}\right]^{-1} $$
//!
//! $$ E[Y(t) \mid x, t_x, T] = \frac{a + b + x - 1}{a - 1}
//!    \left[1 - \left(\frac{\alpha + T}{\alpha + T + t}\right)^{r + x}
//!    {}_2F_1\\!\left(r + x, b + x; a + b + x - 1; \tfrac{t}{\alpha + T + t}\right)\right]
//!    P(\text{alive}) $$
//!
//! $$ E[X(t)] = \frac{a + b - 1}{a - 1}\left[1 - \left(\frac{\alpha}{\alpha + t}\right)^r
//!    {}_2F_1\\!\left(r, b; a + b - 1; \tfrac{t}{\alpha + t}\right)\right] $$
//!
//! Source: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your
//! Customers' the Easy Way: An Alternative to the Pareto/NBD Model",
//! Marketing Science 24(2), 275–284.

use crate::error::{check_length, invalid_arg, Result};
use crate::models::check::ClvOptions;
use crate::models::data::{check_customer, RepeatData};
use crate::models::repeat::{discounted_factored, predict_factored, RepeatModel};
use crate::models::{check_positive, counts};
use crate::optim::{boundary_status, fit_positive_warm, Fit, FitOptions, FitStatus, LogLikelihood};
use crate::special::{digamma, ln_gamma};
use crate::summary::Summary;

/// Parameters of the BG/NBD model.
///
/// Deserialization checks the parameters as [`BgNbdParams::new`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "BgNbdParamsRaw"))]
pub struct BgNbdParams {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma distribution of purchase rates, in the data's time unit.
    pub alpha: f64,
    /// First shape of the beta distribution of drop-out probabilities.
    pub a: f64,
    /// Second shape of the beta distribution of drop-out probabilities.
    pub b: f64,
}

checked_serde!(BgNbdParams by new, BgNbdParamsRaw {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
});

impl BgNbdParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) unless all
    /// are finite and positive.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        check_positive(r, "r")?;
        check_positive(alpha, "alpha")?;
        check_positive(a, "a")?;
        check_positive(b, "b")?;
        Ok(Self { r, alpha, a, b })
    }

    /// The log-likelihood of the data: Σ weight · ln L (module doc).
    pub fn log_likelihood(&self, data: &RepeatData) -> f64 {
        ll_and_gradient(self, data).0
    }

    /// Probability that a customer with `frequency` repeat purchases, the
    /// last at `recency`, and age `age` is still alive (module doc). 1 for
    /// x = 0: the model assumes nobody drops out before a repeat purchase.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), by the rules of [`RepeatData::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// // a / (b + x − 1) ((α + T)/(α + t_x))^(r + x) with r = α = a = b = 1,
    /// // x = 1, t_x = 1, T = 3: 1 × (4/2)² = 4, so P = 1 / (1 + 4) = 0.2.
    /// let p = BgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_alive(1, 1.0, 3.0)? - 0.2).abs() < 1e-15);
    /// assert_eq!(p.probability_alive(0, 0.0, 3.0)?, 1.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        Ok(self.p_alive(f64::from(frequency), recency, age))
    }

    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let Self { r, alpha, a, b } = *self;
        // x − 1 added to b whole ((b + 1) − 1 is 0 for a tiny b), and
        // ln((α + T)/(α + t_x)) as one ln_1p (the difference of two logs
        // keeps few digits for α large against T).
        let l = a.ln() - (b + (x - 1.0)).ln() + (r + x) * ((t - t_x) / (alpha + t_x)).ln_1p();
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
    /// doc, FHL 2005 eq. 10).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), a negative or non-finite `horizon`, or an
    /// expectation that cannot be evaluated (see
    /// [`counts`]: the sum over the purchases before drop-out is tried
    /// first and needs no a ≠ 1 nor a + b + x > 1; where it would need more
    /// than 200,000 terms, FHL's closed form is used, which does).
    pub fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        crate::error::check_non_negative(horizon, "horizon")?;
        let x = f64::from(frequency);
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let scale = self.expected_if_alive(x, age, horizon)?;
        finite(scale * self.p_alive(x, recency, age))
    }

    /// The part of E[Y(t) | x, t_x, T] that does not depend on t_x: the
    /// expected purchases of a customer known to be alive at T.
    fn expected_if_alive(&self, x: f64, age: f64, horizon: f64) -> Result<f64> {
        let Self { r, alpha, a, b } = *self;
        // Given alive at T, the next purchases follow the model afresh with
        // (r + x, α + T, a, b + x) (see `counts`), whose E[X(t)] is FHL
        // eq. 10's bracket, summed without cancellation.
        counts::beta_geometric_expected(horizon, (r + x, alpha + age, a, b + x))
    }

    /// Probability alive and expected purchases in the next `horizon` of
    /// every customer of a BTYD summary (in the summary's time unit, which
    /// must be the unit the parameters were fitted in).
    ///
    /// Same values as [`BgNbdParams::probability_alive`] and
    /// [`BgNbdParams::expected_purchases`] customer by customer, computed
    /// faster: the hypergeometric part depends only on (x, T), so it is
    /// evaluated once per distinct pair.
    ///
    /// # Errors
    /// As [`BgNbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
    /// use retentionkit::TransactionLog;
    /// let log = TransactionLog::new(&[1, 1, 2], &[0, 14, 7], None)?;
    /// let s = summary(&log, &SummaryOptions::default().with_observation_end(Some(28)).with_unit(TimeUnit::Weeks))?;
    /// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// let all = p.predict(&s, 52.0)?;
    /// assert_eq!(all.expected_purchases[0], p.expected_purchases(1, 2.0, 4.0, 52.0)?);
    /// assert_eq!(all.probability_alive[1], 1.0); // customer 2: no repeat purchase yet
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions> {
        self.predict_columns(
            &summary.frequency,
            &summary.recency(),
            &summary.age(),
            horizon,
        )
    }

    /// [`BgNbdParams::predict`] on columns (x, t_x, T), as
    /// [`RepeatModel::predict_columns`].
    fn predict_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        predict_factored(
            frequency,
            recency,
            age,
            horizon,
            |x, tx, t| self.p_alive(x, tx, t),
            |x, t| self.expected_if_alive(x, t, horizon),
        )
    }

    /// Expected number of repeat purchases in `horizon` time units of a
    /// customer just acquired (module doc, FHL 2005 eq. 7).
    ///
    /// # Errors
    /// As [`BgNbdParams::expected_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// // With the CDNOW estimates of FHL (2005), a new customer is expected
    /// // to make 1.1967 repeat purchases in 39 weeks (lifetimes 0.11.3's
    /// // expected_number_of_purchases_up_to_time(39) gives 1.1967231933207985).
    /// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// assert!((p.expected_purchases_new(39.0)? - 1.196_723_193_320_798_5).abs() < 1e-9);
    /// assert_eq!(p.expected_purchases_new(0.0)?, 0.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        crate::error::check_non_negative(horizon, "horizon")?;
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let Self { r, alpha, a, b } = *self;
        finite(counts::beta_geometric_expected(horizon, (r, alpha, a, b))?)
    }

    /// Probability that a customer just acquired makes exactly `n` repeat
    /// purchases in `horizon` time units (FHL 2005 eq. 8; see
    /// [`counts`] for how it is evaluated without
    /// cancellation).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// // lifetimes 0.11.3's probability_of_n_purchases_up_to_time(39, 2) with
    /// // the CDNOW estimates of FHL (2005): 0.08542975953906072
    /// // (tests/data/models/lifetimes_counts.txt).
    /// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// assert!((p.probability_of_purchases_new(39.0, 2)? - 0.085_429_759_539_060_72).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        crate::error::check_non_negative(horizon, "horizon")?;
        counts::beta_geometric_pmf(n, horizon, (self.r, self.alpha, self.a, self.b), 0)
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) makes exactly `n` purchases in the next `horizon`
    /// time units: P(alive) times the BG/NBD probability of a new customer
    /// with parameters (r + x, α + T, a, b + x), plus 1 − P(alive) for
    /// n = 0 (derivation in [`counts`]). Its mean over n is
    /// [`BgNbdParams::expected_purchases`].
    ///
    /// # Errors
    /// As [`BgNbdParams::probability_alive`], and for a negative or
    /// non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// // r = α = a = b = 1, x = 1, t_x = 1, T = 3: P(alive) = 0.2 (see
    /// // probability_alive). Given alive, λ ~ gamma(2, 4) and p ~ beta(1, 2);
    /// // P(no purchase in 4 more) = E[e^{−4λ}] = (4/8)² = 1/4, so
    /// // P(0) = 0.8 + 0.2 × 1/4 = 0.85.
    /// let p = BgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_of_purchases(1, 1.0, 3.0, 4.0, 0)? - 0.85).abs() < 1e-14);
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
        let fresh = counts::beta_geometric_pmf(n, horizon, (r + x, alpha + age, a, b + x), 0)?;
        counts::mix_with_gone(n, self.p_alive(x, recency, age), fresh)
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) is still alive at T + `horizon`. Drop-out happens
    /// only at a purchase: given alive at T (probability
    /// [`BgNbdParams::probability_alive`]), λ ~ gamma(r + x, α + T) and
    /// p ~ beta(a, b + x) ([`counts`]), and the customer is alive at
    /// T + t when the flips after the N(t) purchases they would make in
    /// (T, T + t] all come up "stay":
    ///
    /// $$ P(\text{alive at } T + t) = P(\text{alive at } T)
    ///    \left(\frac{\alpha + T}{\alpha + T + t}\right)^{r + x}
    ///    {}_2F_1\\!\left(r + x, b + x; a + b + x; \tfrac{t}{\alpha + T + t}\right), $$
    ///
    /// the sum over N(t) of P(N(t) = k) E[(1 − p)ᵏ] (derived here from the
    /// model's assumptions, FHL 2005 section 3; evaluated as a sum of
    /// positive terms).
    ///
    /// # Errors
    /// As [`BgNbdParams::probability_of_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_nbd::BgNbdParams;
    /// // r = α = a = b = 1, x = 1, t_x = 1, T = 3: P(alive) = 0.2. Given
    /// // alive, λ ~ gamma(2, 4) and p ~ beta(1, 2), so surviving 4 more is
    /// // E[(4/(4 + 4p))²] = ∫₀¹ 2(1 − p)/(1 + p)² dp = 2 − 2 ln 2.
    /// let p = BgNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let want = 0.2 * (2.0 - 2.0 * std::f64::consts::LN_2);
    /// assert!((p.probability_alive_at(1, 1.0, 3.0, 4.0)? - want).abs() < 1e-14);
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
        let stay = counts::beta_geometric_survival(horizon, (r + x, alpha + age, a, b + x))?;
        Ok(self.p_alive(x, recency, age) * stay)
    }

    /// DERT, the discounted expected residual transactions of a customer
    /// with (x, t_x, T) = (`frequency`, `recency`, `age`) at the continuous
    /// discount rate `discount_rate` per time unit: ∫₀^∞ e^{−δu} dE[Y(u)]
    /// with E[Y(u)] of [`BgNbdParams::expected_purchases`]
    /// ([`crate::models::distribution`] derives how it is evaluated).
    ///
    /// # Errors
    /// As [`BgNbdParams::expected_purchases`];
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// `discount_rate` unless it is finite and positive.
    pub fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        let x = f64::from(frequency);
        let Self { r, alpha, a, b } = *self;
        crate::models::distribution::beta_geometric_dert(
            discount_rate,
            self.p_alive(x, recency, age),
            (r + x, alpha + age, a, b + x),
        )
    }
}

/// The formulas of the module doc, with whole-summary passes that use
/// E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · g(x, T, t) (FHL 2005 eq. 10:
/// the hypergeometric part does not depend on t_x), so it is evaluated once
/// per distinct (x, T).
impl RepeatModel for BgNbdParams {
    fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        BgNbdParams::probability_alive(self, frequency, recency, age)
    }

    fn discounted_purchases(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        options: &ClvOptions,
    ) -> Result<Vec<f64>> {
        discounted_factored(
            frequency,
            recency,
            age,
            options,
            |x, tx, t| self.p_alive(x, tx, t),
            |x, t, h| self.expected_if_alive(x, t, h),
        )
    }

    fn expected_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        BgNbdParams::expected_purchases(self, frequency, recency, age, horizon)
    }

    fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        BgNbdParams::expected_purchases_new(self, horizon)
    }

    fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions> {
        BgNbdParams::predict(self, summary, horizon)
    }

    fn predict_columns(
        &self,
        frequency: &[u32],
        recency: &[f64],
        age: &[f64],
        horizon: f64,
    ) -> Result<Predictions> {
        BgNbdParams::predict_columns(self, frequency, recency, age, horizon)
    }

    fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        BgNbdParams::probability_of_purchases_new(self, horizon, n)
    }

    fn probability_of_purchases(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
        n: u32,
    ) -> Result<f64> {
        BgNbdParams::probability_of_purchases(self, frequency, recency, age, horizon, n)
    }

    fn probability_alive_at(
        &self,
        frequency: u32,
        recency: f64,
        age: f64,
        horizon: f64,
    ) -> Result<f64> {
        BgNbdParams::probability_alive_at(self, frequency, recency, age, horizon)
    }

    fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        BgNbdParams::dert(self, frequency, recency, age, discount_rate)
    }

    fn log_likelihood(&self, data: &RepeatData) -> f64 {
        BgNbdParams::log_likelihood(self, data)
    }
}

/// Per-customer predictions of [`BgNbdParams::predict`], in summary order.
///
/// Deserialization runs [`Predictions::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PredictionsRaw"))]
pub struct Predictions {
    /// Probability alive at the observation end.
    pub probability_alive: Vec<f64>,
    /// Expected purchases in the next `horizon`.
    pub expected_purchases: Vec<f64>,
}

checked_serde!(Predictions by validate, PredictionsRaw {
    probability_alive: Vec<f64>,
    expected_purchases: Vec<f64>,
});

impl Predictions {
    /// Check that both columns have one value per customer, which the
    /// at-risk list and the CLV rely on. Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) (column
    /// `expected_purchases`) when the columns differ in length.
    pub fn validate(&self) -> Result<()> {
        check_length(
            "expected_purchases",
            self.probability_alive.len(),
            self.expected_purchases.len(),
        )
    }
}

pub(crate) fn finite(v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid_arg(
            "horizon",
            format!("the expected number of purchases is not finite ({v})"),
        ))
    }
}

/// What a likelihood row needs of its x (see [`ll_and_gradient`]).
struct PerX {
    common: f64,
    c2: f64,
    dc: [f64; 4],
    inv_b: f64,
}

/// LL and its gradient in (r, α, a, b).
fn ll_and_gradient(p: &BgNbdParams, d: &RepeatData) -> (f64, [f64; 4]) {
    beta_geometric_ll::<0>((p.r, p.alpha, p.a, p.b), d)
}

/// LL and its gradient in (r, α, a, b) of the BG/NBD (`FLIPS_AT_START` =
/// 0) or the MBG/NBD (`FLIPS_AT_START` = 1: a drop-out chance at time 0
/// too), whose likelihoods differ only in b + x becoming b + x + 1 and the
/// second term being there for x = 0 too:
/// L = B(a, b + x + k₀)/B(a, b) Γ(r + x) αʳ/Γ(r) [(α + T)^{−(r+x)}
/// + δ_{x + k₀ > 0} a/(b + x + k₀ − 1) (α + t_x)^{−(r+x)}].
///
/// Everything that depends on one of x, t_x or T alone (the ln Γ and ψ of x,
/// ln(α + T), ln(α + t_x)) is computed once per distinct value; a row then
/// costs one `exp` and one `ln_1p`.
pub(crate) fn beta_geometric_ll<const FLIPS_AT_START: u8>(
    (r, alpha, a, b): (f64, f64, f64, f64),
    d: &RepeatData,
) -> (f64, [f64; 4]) {
    let k0 = f64::from(FLIPS_AT_START);
    let (lg_r, lg_ab, lg_b, ln_alpha, ln_a) = (
        ln_gamma(r),
        ln_gamma(a + b),
        ln_gamma(b),
        alpha.ln(),
        a.ln(),
    );
    let (dg_r, dg_ab, dg_b) = (digamma(r), digamma(a + b), digamma(b));
    // Per distinct x: ln of the common factor, t2's constant, and their derivatives.
    let per_x: Vec<PerX> = d
        .x_values
        .values
        .iter()
        .map(|&x| {
            let (bx, second) = (b + x + k0, x + k0 > 0.0);
            // Summed as a + b + x (+ k₀), as before the MBG/NBD shared this.
            let abx = a + b + x + k0;
            let dg_abx = digamma(abx);
            PerX {
                common: ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(bx)
                    - lg_b
                    - ln_gamma(abx),
                c2: if second { ln_a - (bx - 1.0).ln() } else { 0.0 },
                dc: [
                    digamma(r + x) - dg_r + ln_alpha,
                    r / alpha,
                    dg_ab - dg_abx,
                    dg_ab + digamma(bx) - dg_b - dg_abx,
                ],
                inv_b: if second { 1.0 / (bx - 1.0) } else { 0.0 },
            }
        })
        .collect();
    let logs = |v: &[f64]| -> Vec<(f64, f64)> {
        v.iter()
            .map(|&t| ((alpha + t).ln(), 1.0 / (alpha + t)))
            .collect()
    };
    let (per_t, per_tx) = (logs(&d.t_values.values), logs(&d.t_x_values.values));
    let rows = |range: std::ops::Range<usize>| {
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for i in range {
            let (x, w) = (d.x[i], d.weight[i]);
            let k = &per_x[d.x_values.index[i] as usize];
            let (lt, it) = per_t[d.t_values.index[i] as usize];
            let t1 = -(r + x) * lt;
            if x + k0 == 0.0 {
                // L = common · e^t1.
                ll += w * (k.common + t1);
                g[0] += w * (k.dc[0] - lt);
                g[1] += w * (k.dc[1] - (r + x) * it);
                g[2] += w * k.dc[2];
                g[3] += w * k.dc[3];
                continue;
            }
            let (ltx, itx) = per_tx[d.t_x_values.index[i] as usize];
            let t2 = k.c2 - (r + x) * ltx;
            // ln(e^t1 + e^t2) and s = e^t2 / (e^t1 + e^t2), from one exp.
            let e = (-(t1 - t2).abs()).exp();
            let (m, s) = if t2 >= t1 {
                (t2, 1.0 / (1.0 + e))
            } else {
                (t1, e / (1.0 + e))
            };
            ll += w * (k.common + m + e.ln_1p());
            g[0] += w * (k.dc[0] - (1.0 - s) * lt - s * ltx);
            g[1] += w * (k.dc[1] - (r + x) * ((1.0 - s) * it + s * itx));
            g[2] += w * (k.dc[2] + s / a);
            g[3] += w * (k.dc[3] - s * k.inv_b);
        }
        (ll, g)
    };
    // Fixed chunks, summed in order: the same result on any number of threads.
    let chunks: Vec<_> = (0..d.len().div_ceil(CHUNK))
        .map(|c| c * CHUNK..d.len().min((c + 1) * CHUNK))
        .collect();
    let parts = crate::log::par_map(chunks, rows);
    let mut total = (0.0, [0.0; 4]);
    for (ll, g) in parts {
        total.0 += ll;
        for (t, gj) in total.1.iter_mut().zip(g) {
            *t += gj;
        }
    }
    total
}

/// Rows per chunk of the likelihood sum.
const CHUNK: usize = 1 << 15;

/// Starting values of (r, α, a, b) for the BG/NBD and MBG/NBD fits, α on
/// the data's time scale.
pub(crate) fn starts(data: &RepeatData) -> [Vec<f64>; 4] {
    let t = data.mean_age();
    [
        [1.0, t, 1.0, 1.0],
        [0.1, 1.0, 0.1, 0.1],
        [1.0, 1.0, 1.0, 1.0],
        [0.5, (t / 10.0).max(1e-3), 2.0, 5.0],
    ]
    .map(|s| s.to_vec())
}

/// The log-likelihood and its gradient at (r, α, a, b) on `data`: what
/// [`fit_bg_nbd`] maximises, and what the covariance of
/// [`crate::models::interval`] differentiates.
pub(crate) fn log_likelihood_fn(
    data: &RepeatData,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + '_ {
    move |v: &[f64]| {
        let p = BgNbdParams {
            r: v[0],
            alpha: v[1],
            a: v[2],
            b: v[3],
        };
        let (ll, g) = ll_and_gradient(&p, data);
        Some((ll, g.to_vec()))
    }
}

/// Fit the BG/NBD model by maximum likelihood.
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
/// use retentionkit::models::{bg_nbd::{fit_bg_nbd, BgNbdParams}, RepeatData};
/// use retentionkit::optim::{FitOptions, FitStatus};
/// // Four customers: (x, t_x, T) in weeks.
/// let data = RepeatData::new(&[0, 1, 3, 5], &[0.0, 10.0, 20.0, 30.0], &[30.0, 30.0, 30.0, 31.0], None)?;
/// let fit = fit_bg_nbd(&data, &FitOptions::default())?;
/// assert!(fit.log_likelihood.is_finite());
/// // The fit is at least as likely as any typed-in parameters.
/// let other = BgNbdParams::new(1.0, 5.0, 1.0, 2.0)?;
/// assert!(fit.log_likelihood >= other.log_likelihood(&data));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_bg_nbd(data: &RepeatData, options: &FitOptions) -> Result<Fit<BgNbdParams>> {
    let from = |v: &[f64]| BgNbdParams {
        r: v[0],
        alpha: v[1],
        a: v[2],
        b: v[3],
    };
    // Large data: first a fit on a sample of the rows (the estimates do
    // not change, see `optim::fit_positive_warm`).
    let sample = data.start_sample();
    let sample_ll = sample.as_ref().map(log_likelihood_fn);
    let warm = sample
        .as_ref()
        .zip(sample_ll.as_ref())
        .map(|(d, ll)| (ll as LogLikelihood, d.customers(), starts(d).to_vec()));
    let f = fit_positive_warm(
        &log_likelihood_fn(data),
        data.customers(),
        &starts(data),
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
        status: status(f.status, &params, data),
    })
}

/// The status of a fit that ended with `search` at `params`
/// ([`boundary_status`] with r, a and b as shapes, α as a scale of the
/// mean age).
pub(crate) fn status(search: FitStatus, params: &BgNbdParams, data: &RepeatData) -> FitStatus {
    boundary_status(
        search,
        &[params.r, params.a, params.b],
        &[(params.alpha, data.mean_age())],
    )
}

#[cfg(test)]
mod tests;
