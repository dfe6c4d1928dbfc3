//! The BG/BB model of repeat transactions at discrete opportunities
//! (non-contractual, discrete time).
//!
//! A customer is acquired at opportunity 0 and has n further transaction
//! opportunities 1, …, n (a yearly campaign, a weekly event). While alive,
//! they transact at each opportunity with probability p ~ beta(α, β); at the
//! start of each opportunity after the first they may have become inactive
//! for good, with probability θ ~ beta(γ, δ). Their history is summarised by
//! x, the number of the n opportunities with a transaction, and t_x, the
//! last such opportunity (0 when x = 0): 0 ≤ x ≤ t_x ≤ n, x = 0 exactly
//! when t_x = 0, and t_x ≥ x. With B the beta function (Fader, Hardie &
//! Shang 2010, equations 5, 11 and 13):
//!
//! $$ L = \frac{B(\alpha + x, \beta + n - x)}{B(\alpha, \beta)}
//!        \frac{B(\gamma, \delta + n)}{B(\gamma, \delta)}
//!      + \sum_{i=0}^{n - t_x - 1} \frac{B(\alpha + x, \beta + t_x - x + i)}{B(\alpha, \beta)}
//!        \frac{B(\gamma + 1, \delta + t_x + i)}{B(\gamma, \delta)} $$
//!
//! $$ P(\text{alive at } n + 1 \mid x, t_x, n) =
//!    \frac{B(\alpha + x, \beta + n - x)}{B(\alpha, \beta)}
//!    \frac{B(\gamma, \delta + n + 1)}{B(\gamma, \delta)} \Big/ L $$
//!
//! $$ E[X(n, n + n^\*) \mid x, t_x, n] = \frac{1}{L}
//!    \frac{B(\alpha + x + 1, \beta + n - x)}{B(\alpha, \beta)}
//!    \frac{\delta}{\gamma - 1} \frac{\Gamma(\gamma + \delta)}{\Gamma(1 + \delta)}
//!    \left[\frac{\Gamma(1 + \delta + n)}{\Gamma(\gamma + \delta + n)}
//!        - \frac{\Gamma(1 + \delta + n + n^\*)}{\Gamma(\gamma + \delta + n + n^\*)}\right] $$
//!
//! and for a customer just acquired, the mean of X(n) (FHS 2010)
//!
//! $$ E[X(n)] = \frac{\alpha}{\alpha + \beta} \frac{\delta}{\gamma - 1}
//!    \left[1 - \frac{\Gamma(\gamma + \delta)\\,\Gamma(1 + \delta + n)}
//!                  {\Gamma(\gamma + \delta + n)\\,\Gamma(1 + \delta)}\right]. $$
//!
//! Both expectations are `(mean p) × Σₖ P(alive at opportunity k)`, the sum
//! of `B(γ, δ' + k) / B(γ, δ')` over the k future opportunities (δ' = δ + n
//! after n observed ones); the bracket above is that sum in closed form,
//! which divides by γ − 1. Within 1e-3 of γ = 1 the sum is added term by
//! term instead, through `B(γ, d + k) / B(γ, d) = Π_{j<k} (d + j)/(γ + d + j)`.
//!
//! Source: Fader, P. S., Hardie, B. G. S. & Shang, J. (2010), "Customer-Base
//! Analysis in a Discrete-Time Noncontractual Setting", Marketing Science
//! 29(6), 1086–1108.

use crate::error::{invalid_arg, Error, Result};
use crate::models::check_positive;
use crate::models::data::{check_identified, checked_weights};
use crate::optim::{boundary_status, fit_positive, Fit, FitOptions};
use crate::special::{digamma, ln_gamma};

/// Parameters of the BG/BB model: p ~ beta(α, β), θ ~ beta(γ, δ).
///
/// Deserialization checks the parameters as [`BgBbParams::new`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "BgBbParamsRaw"))]
pub struct BgBbParams {
    /// First shape of the beta distribution of transaction probabilities p.
    pub alpha: f64,
    /// Second shape of the beta distribution of transaction probabilities p.
    pub beta: f64,
    /// First shape of the beta distribution of drop-out probabilities θ.
    pub gamma: f64,
    /// Second shape of the beta distribution of drop-out probabilities θ.
    pub delta: f64,
}

checked_serde!(BgBbParams by new, BgBbParamsRaw {
    alpha: f64,
    beta: f64,
    gamma: f64,
    delta: f64,
});

/// Validated (x, t_x, n, weight) rows: the data a BG/BB model is fitted on.
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::BgBbData;
/// // Six opportunities each: one customer bought at 1, 3 and 4; one never did; one at 6.
/// let d = BgBbData::new(&[3, 0, 1], &[4, 0, 6], &[6, 6, 6], None)?;
/// assert_eq!((d.len(), d.customers()), (3, 3.0));
/// assert!(BgBbData::new(&[3], &[2], &[6], None).is_err()); // 3 purchases need 3 opportunities up to t_x
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BgBbData {
    x: Vec<u32>,
    t_x: Vec<u32>,
    n: Vec<u32>,
    weight: Vec<f64>,
    customers: f64,
}

impl BgBbData {
    /// Check and copy the columns: `frequency` (x, opportunities with a
    /// transaction), `recency` (t_x, the last of them, 0 for none) and
    /// `opportunities` (n), with optional integer weights (how many
    /// customers share the row; 1 each when `None`).
    ///
    /// # Errors
    /// - [`Error::Empty`] for no rows, [`Error::LengthMismatch`] for columns
    ///   of different lengths;
    /// - [`Error::InvalidValue`] naming the first bad row: 0 opportunities,
    ///   a recency beyond the opportunities, a recency other than 0 with no
    ///   transaction, a frequency above the recency (x transactions need
    ///   x distinct opportunities up to t_x), or more than 10⁷
    ///   opportunities after the recency (n − t_x, the number of terms of
    ///   the likelihood, module doc);
    /// - [`Error::InvalidArgument`] when all weights are 0, or no customer
    ///   transacted (the model cannot be identified).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbData;
    /// let d = BgBbData::new(&[0, 3], &[0, 5], &[6, 6], Some(&[10, 2]))?;
    /// assert_eq!(d.customers(), 12.0);
    /// let err = BgBbData::new(&[4, 0], &[3, 0], &[6, 6], None).unwrap_err();
    /// assert_eq!(err.to_string(), "column `frequency`, row 0: frequency 4 is above the recency 3");
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(
        frequency: &[u32],
        recency: &[u32],
        opportunities: &[u32],
        weights: Option<&[u64]>,
    ) -> Result<Self> {
        let len = frequency.len();
        if len == 0 {
            return Err(Error::Empty { what: "BG/BB data" });
        }
        for (column, got) in [
            ("recency", recency.len()),
            ("opportunities", opportunities.len()),
        ]
        .into_iter()
        .chain(weights.map(|w| ("weight", w.len())))
        {
            if got != len {
                return Err(Error::LengthMismatch {
                    column,
                    expected: len,
                    got,
                });
            }
        }
        for row in 0..len {
            if let Err((column, reason)) =
                check_row(frequency[row], recency[row], opportunities[row])
            {
                return Err(Error::InvalidValue {
                    column,
                    row,
                    reason,
                });
            }
        }
        let weight = checked_weights(weights, len)?;
        let customers: f64 = weight.iter().sum();
        check_identified(
            frequency,
            &weight,
            "no customer transacted, so the model cannot be identified",
        )?;
        Ok(Self {
            x: frequency.to_vec(),
            t_x: recency.to_vec(),
            n: opportunities.to_vec(),
            weight,
            customers,
        })
    }

    /// Number of rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbData;
    /// // Six opportunities each: one customer bought at 1, 3 and 4; one never did; one at 6.
    /// let d = BgBbData::new(&[3, 0, 1], &[4, 0, 6], &[6, 6, 6], None)?;
    /// assert_eq!(d.len(), 3);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: the data hold at least one row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbData;
    /// // Six opportunities each: one customer bought at 1, 3 and 4; one never did; one at 6.
    /// let d = BgBbData::new(&[3, 0, 1], &[4, 0, 6], &[6, 6, 6], None)?;
    /// assert!(!d.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Number of customers (the sum of the weights).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbData;
    /// // Two rows standing for 10 and 5 customers.
    /// let d = BgBbData::new(&[2, 0], &[5, 0], &[6, 6], Some(&[10, 5]))?;
    /// assert_eq!(d.customers(), 15.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customers(&self) -> f64 {
        self.customers
    }

    /// The same rows with other weights (a bootstrap's resample, one
    /// finite weight ≥ 0 per row); `None` when no customer with a
    /// transaction is left (the model is not identified).
    #[cfg(feature = "simulate")]
    pub(crate) fn with_weights(&self, weight: Vec<f64>) -> Option<Self> {
        let transacted: f64 = self
            .x
            .iter()
            .zip(&weight)
            .filter(|(x, _)| **x > 0)
            .map(|(_, w)| w)
            .sum();
        (weight.len() == self.x.len() && transacted > 0.0).then(|| Self {
            x: self.x.clone(),
            t_x: self.t_x.clone(),
            n: self.n.clone(),
            customers: weight.iter().sum(),
            weight,
        })
    }

    /// The weight of each row.
    #[cfg(feature = "simulate")]
    pub(crate) fn weights(&self) -> &[f64] {
        &self.weight
    }
}

/// The rules of one (x, t_x, n) row: the column at fault and why.
fn check_row(x: u32, t_x: u32, n: u32) -> std::result::Result<(), (&'static str, String)> {
    if n == 0 {
        return Err(("opportunities", "0 opportunities (need at least 1)".into()));
    }
    if t_x > n {
        return Err((
            "recency",
            format!("recency {t_x} is beyond the {n} opportunities"),
        ));
    }
    if x == 0 && t_x != 0 {
        return Err((
            "recency",
            format!("recency {t_x} with no transaction (it must be 0)"),
        ));
    }
    if x > t_x {
        return Err((
            "frequency",
            format!("frequency {x} is above the recency {t_x}"),
        ));
    }
    if n - t_x > MAX_INACTIVE {
        return Err((
            "opportunities",
            format!(
                "{n} opportunities with the last transaction at {t_x}: the likelihood has one term per opportunity after it, at most 10^7"
            ),
        ));
    }
    Ok(())
}

/// The most opportunities after the last transaction, n − t_x: the
/// likelihood L (module doc, FHS 2010 eq. 5) has one term for each, added
/// one by one (4.3e9 of them took minutes; issue 19).
const MAX_INACTIVE: u32 = 10_000_000;

/// Check one customer's (x, t_x, n) for a prediction.
fn check_customer(x: u32, t_x: u32, n: u32) -> Result<()> {
    check_row(x, t_x, n).map_err(|(name, reason)| invalid_arg(name, reason))
}

/// ln B(a, b).
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

impl BgBbParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless all
    /// are finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // Fader, Hardie & Shang (2010), the donations data.
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert_eq!(p.gamma, 0.657);
    /// assert!(BgBbParams::new(1.0, 0.0, 1.0, 1.0).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self> {
        check_positive(alpha, "alpha")?;
        check_positive(beta, "beta")?;
        check_positive(gamma, "gamma")?;
        check_positive(delta, "delta")?;
        Ok(Self {
            alpha,
            beta,
            gamma,
            delta,
        })
    }

    /// The terms of L (module doc) for one row, as (ln term, y, c, z) with
    /// term = B(α + x, β + y) B(γ + c, δ + z) / (B(α, β) B(γ, δ)): first
    /// "alive through n", then the n − t_x "inactive from t_x + i + 1".
    fn terms(
        &self,
        x: u32,
        t_x: u32,
        n: u32,
    ) -> impl Iterator<Item = (f64, f64, f64, f64)> + use<> {
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (xf, txf, nf) = (f64::from(x), f64::from(t_x), f64::from(n));
        let base = -ln_beta(alpha, beta) - ln_beta(gamma, delta);
        let term = move |y: f64, c: f64, z: f64| {
            (
                base + ln_beta(alpha + xf, beta + y) + ln_beta(gamma + c, delta + z),
                y,
                c,
                z,
            )
        };
        std::iter::once(term(nf - xf, 0.0, nf)).chain((0..n - t_x).map(move |i| {
            let i = f64::from(i);
            term(txf - xf + i, 1.0, txf + i)
        }))
    }

    /// ln L (module doc), the terms of [`BgBbParams::terms`] summed in log
    /// space. The n − t_x "inactive" terms (up to 10⁷) come from the first
    /// by B(A, B + 1)/B(A, B) = B/(A + B) ([`beta_step`]): term i + 1 is
    /// term i minus ln(1 + (α + x)/(β + t_x − x + i)) and
    /// ln(1 + (γ + 1)/(δ + t_x + i)), two `ln_1p` instead of six ln Γ, the
    /// running ln-term summed with [`neumaier`]'s compensation (the ln Γ
    /// form took seconds per customer at 10⁷ terms; issue 19).
    fn ln_l(&self, x: u32, t_x: u32, n: u32) -> f64 {
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (xf, txf) = (f64::from(x), f64::from(t_x));
        let mut terms = self.terms(x, t_x, n);
        // Streaming log-sum-exp: ln Σ e^t = m + ln s with m the running max.
        let mut acc = (f64::NEG_INFINITY, 0.0f64);
        let mut add = |t: f64| {
            let (m, s) = acc;
            acc = if t > m {
                (t, s * (m - t).exp() + 1.0)
            } else {
                (m, s + (t - m).exp())
            };
        };
        if let Some((alive, ..)) = terms.next() {
            add(alive);
        }
        if let Some((first, ..)) = terms.next() {
            let (mut t, mut comp) = (first, 0.0f64);
            add(first);
            for i in 1..n - t_x {
                let j = f64::from(i - 1);
                let d = beta_step(alpha + xf, beta + (txf - xf + j))
                    + beta_step(gamma + 1.0, delta + (txf + j));
                neumaier(&mut t, &mut comp, d);
                add(t + comp);
            }
        }
        let (m, s) = acc;
        m + s.ln()
    }

    /// The log-likelihood of the data: Σ weight · ln L (module doc, FHS
    /// 2010 eq. 5).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::{BgBbData, BgBbParams};
    /// // α = β = γ = δ = 1, one customer with x = 1, t_x = 1, n = 1:
    /// // L = B(2, 1)/B(1, 1) × B(1, 2)/B(1, 1) = 1/2 × 1/2 = 1/4.
    /// let p = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let d = BgBbData::new(&[1], &[1], &[1], None)?;
    /// assert!((p.log_likelihood(&d) - 0.25f64.ln()).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &BgBbData) -> f64 {
        (0..data.len())
            .map(|i| data.weight[i] * self.ln_l(data.x[i], data.t_x[i], data.n[i]))
            .sum()
    }

    /// Probability that a customer with `frequency` transactions in
    /// `opportunities` opportunities, the last at `recency`, is still alive
    /// at the next opportunity, n + 1 (module doc, FHS 2010 eq. 11).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an
    /// impossible (x, t_x, n), by the rules of [`BgBbData::new`] (which
    /// include at most 10⁷ opportunities after the recency).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // α = β = γ = δ = 1, x = 1, t_x = 1, n = 1: L = 1/4 and the
    /// // numerator is B(2, 1)/B(1, 1) × B(1, 3)/B(1, 1) = 1/2 × 1/3, so
    /// // P = (1/6) / (1/4) = 2/3.
    /// let p = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_alive(1, 1, 1)? - 2.0 / 3.0).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(
        &self,
        frequency: u32,
        recency: u32,
        opportunities: u32,
    ) -> Result<f64> {
        check_customer(frequency, recency, opportunities)?;
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (x, n) = (f64::from(frequency), f64::from(opportunities));
        let num = ln_beta(alpha + x, beta + n - x) - ln_beta(alpha, beta)
            + ln_beta(gamma, delta + n + 1.0)
            - ln_beta(gamma, delta);
        let p = (num - self.ln_l(frequency, recency, opportunities)).exp();
        finite(p.min(1.0), "probability alive")
    }

    /// Expected number of transactions in the next `future` opportunities
    /// (n + 1, …, n + n*) of a customer with (x, t_x, n) = (`frequency`,
    /// `recency`, `opportunities`) (module doc, FHS 2010 eq. 13).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an
    /// impossible (x, t_x, n), or `future` above 10⁷ where the sum is added
    /// term by term (γ within 1e-3 of 1, or δ + n so large against `future`
    /// that the closed form FHS 2010 eq. 13 would lose its digits).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // α = β = γ = δ = 1, x = t_x = n = 1, one more opportunity:
    /// // P(alive at 2) × E[p | data] = 2/3 × 2/3 = 4/9 (p ~ beta(2, 1) and
    /// // θ ~ beta(1, 2) given alive at 1; P(alive at 2) = E[1 − θ] = 2/3).
    /// let p = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.expected_transactions(1, 1, 1, 1)? - 4.0 / 9.0).abs() < 1e-14);
    /// assert_eq!(p.expected_transactions(1, 1, 1, 0)?, 0.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_transactions(
        &self,
        frequency: u32,
        recency: u32,
        opportunities: u32,
        future: u32,
    ) -> Result<f64> {
        check_customer(frequency, recency, opportunities)?;
        if future == 0 {
            return Ok(0.0);
        }
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (x, n) = (f64::from(frequency), f64::from(opportunities));
        // P(alive at n | data) × E[p | data, alive] × Σₖ E[(1 − θ)^k | alive at n].
        let lead = ln_beta(alpha + x + 1.0, beta + n - x) - ln_beta(alpha, beta)
            + ln_beta(gamma, delta + n)
            - ln_beta(gamma, delta)
            - self.ln_l(frequency, recency, opportunities);
        let s = survival_sum(gamma, delta + n, future)?;
        finite(lead.exp() * s, "expected number of transactions")
    }

    /// Expected number of transactions in the first `opportunities`
    /// opportunities of a customer just acquired: E[X(n)] (module doc,
    /// FHS 2010).
    ///
    /// # Errors
    /// As [`BgBbParams::expected_transactions`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // α = β = 1 (mean p 1/2), γ = 1, δ = 2: P(alive at k) = B(1, 2 + k)/B(1, 2)
    /// // = 2/(2 + k), so E[X(2)] = 1/2 × (2/3 + 2/4) = 7/12.
    /// let p = BgBbParams::new(1.0, 1.0, 1.0, 2.0)?;
    /// assert!((p.expected_transactions_new(2)? - 7.0 / 12.0).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_transactions_new(&self, opportunities: u32) -> Result<f64> {
        if opportunities == 0 {
            return Ok(0.0);
        }
        let s = survival_sum(self.gamma, self.delta, opportunities)?;
        finite(
            self.alpha / (self.alpha + self.beta) * s,
            "expected number of transactions",
        )
    }

    /// Probability that a customer just acquired transacts at exactly `x`
    /// of the first `opportunities` opportunities: P(X(n) = x) (FHS 2010
    /// eq. 7),
    ///
    /// $$ P(X(n) = x) = \binom{n}{x} \frac{B(\alpha + x, \beta + n - x)}{B(\alpha, \beta)}
    ///   \frac{B(\gamma, \delta + n)}{B(\gamma, \delta)}
    ///   \\; {+} \sum_{i = x}^{n - 1} \binom{i}{x} \frac{B(\alpha + x, \beta + i - x)}{B(\alpha, \beta)}
    ///   \frac{B(\gamma + 1, \delta + i)}{B(\gamma, \delta)}, $$
    ///
    /// alive through all n, or inactive from opportunity i + 1 on; summed in
    /// log space. 0 for x > n.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for more than 10⁷ opportunities.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // lifetimes 0.11.3's expected_number_of_transactions_in_first_n_periods(6)
    /// // with the published donations estimates, divided by the 11,104 donors:
    /// // 0.17010997840651473 for x = 1 (tests/data/models/lifetimes_counts.txt).
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert!((p.probability_of_transactions_new(6, 1)? - 0.170_109_978_406_514_73).abs() < 1e-12);
    /// assert_eq!(p.probability_of_transactions_new(6, 7)?, 0.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_transactions_new(&self, opportunities: u32, x: u32) -> Result<f64> {
        transactions_pmf(
            x,
            opportunities,
            (self.alpha, self.beta, self.gamma, self.delta),
        )
    }

    /// Probability that a customer with (x, t_x, n) = (`frequency`,
    /// `recency`, `opportunities`) transacts at exactly `x_future` of the
    /// next `future` opportunities: P(X(n, n + n*) = x* | x, t_x, n).
    ///
    /// Given alive through opportunity n (probability
    /// B(α + x, β + n − x) B(γ, δ + n) / (B(α, β) B(γ, δ) L)), the posteriors
    /// are p ~ beta(α + x, β + n − x) and θ ~ beta(γ, δ + n), and the next
    /// opportunities follow the model afresh with those parameters; a
    /// customer already inactive makes none. So this is that probability
    /// times [`BgBbParams::probability_of_transactions_new`] with the updated
    /// parameters, plus its complement for x* = 0 (the same quantity as FHS
    /// 2010's conditional distribution). Its mean over x* is
    /// [`BgBbParams::expected_transactions`].
    ///
    /// # Errors
    /// As [`BgBbParams::probability_alive`], and for more than 10⁷ future
    /// opportunities.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::bg_bb::BgBbParams;
    /// // α = β = γ = δ = 1, x = t_x = n = 1, one more opportunity: alive
    /// // through 1 with probability (1/2 × 1/2) / L = 1 (L = 1/4); then
    /// // p ~ beta(2, 1), θ ~ beta(1, 2): transacts if still alive (2/3) and
    /// // buys (2/3), so P(x* = 1) = 4/9 and P(x* = 0) = 5/9.
    /// let p = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_of_transactions(1, 1, 1, 1, 1)? - 4.0 / 9.0).abs() < 1e-14);
    /// assert!((p.probability_of_transactions(1, 1, 1, 1, 0)? - 5.0 / 9.0).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_transactions(
        &self,
        frequency: u32,
        recency: u32,
        opportunities: u32,
        future: u32,
        x_future: u32,
    ) -> Result<f64> {
        check_customer(frequency, recency, opportunities)?;
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (x, n) = (f64::from(frequency), f64::from(opportunities));
        let alive = (ln_beta(alpha + x, beta + n - x) - ln_beta(alpha, beta)
            + ln_beta(gamma, delta + n)
            - ln_beta(gamma, delta)
            - self.ln_l(frequency, recency, opportunities))
        .exp()
        .min(1.0);
        let fresh = transactions_pmf(
            x_future,
            future,
            (alpha + x, beta + n - x, gamma, delta + n),
        )?;
        let gone = if x_future == 0 { 1.0 - alive } else { 0.0 };
        finite(
            (alive * fresh + gone).clamp(0.0, 1.0),
            "probability of transactions",
        )
    }
}

/// P(X(n) = x) of a new customer (see
/// [`BgBbParams::probability_of_transactions_new`]).
fn transactions_pmf(
    x: u32,
    n: u32,
    (alpha, beta, gamma, delta): (f64, f64, f64, f64),
) -> Result<f64> {
    if x > n {
        return Ok(0.0);
    }
    if n > 10_000_000 {
        return Err(invalid_arg(
            "opportunities",
            format!("{n} opportunities: the distribution is summed term by term, at most 10^7"),
        ));
    }
    let (xf, nf) = (f64::from(x), f64::from(n));
    let ln_choose = |i: f64| ln_gamma(i + 1.0) - ln_gamma(xf + 1.0) - ln_gamma(i - xf + 1.0);
    let base = -ln_beta(alpha, beta) - ln_beta(gamma, delta);
    let first =
        ln_choose(nf) + base + ln_beta(alpha + xf, beta + nf - xf) + ln_beta(gamma, delta + nf);
    // Streaming log-sum-exp, as in ln_l; the terms i = x..n − 1 by
    // recurrence from the first, as there: C(i + 1, x)/C(i, x) =
    // 1 + x/(i + 1 − x), and the two beta ratios by `beta_step`.
    let (mut m, mut s) = (first, 1.0f64);
    let mut add = |t: f64| {
        if t > m {
            s = s * (m - t).exp() + 1.0;
            m = t;
        } else {
            s += (t - m).exp();
        }
    };
    if x < n {
        let mut t =
            ln_choose(xf) + base + ln_beta(alpha + xf, beta) + ln_beta(gamma + 1.0, delta + xf);
        let mut comp = 0.0f64;
        add(t);
        for i in x..n - 1 {
            let i = f64::from(i);
            let d = (xf / (i + 1.0 - xf)).ln_1p()
                + beta_step(alpha + xf, beta + (i - xf))
                + beta_step(gamma + 1.0, delta + i);
            neumaier(&mut t, &mut comp, d);
            add(t + comp);
        }
    }
    finite((m + s.ln()).exp().min(1.0), "probability of transactions")
}

/// ln(B(A, B + 1)/B(A, B)) = ln(B/(A + B)) = −ln(1 + A/B) (DLMF 5.12.1
/// with Γ(z + 1) = zΓ(z)), or its two logs when A/B overflows.
fn beta_step(a: f64, b: f64) -> f64 {
    let q = a / b;
    if q.is_finite() {
        -q.ln_1p()
    } else {
        b.ln() - (a + b).ln()
    }
}

/// `t += d` with Neumaier's compensation: `t + comp` carries the running
/// sum to about twice the precision, so 10⁷ steps do not add up their
/// rounding.
fn neumaier(t: &mut f64, comp: &mut f64, d: f64) {
    let next = *t + d;
    *comp += if t.abs() >= d.abs() {
        (*t - next) + d
    } else {
        (d - next) + *t
    };
    *t = next;
}

/// Σ_{k=1}^{m} B(γ, d + k) / B(γ, d) for m ≥ 1: the expected number of the
/// next m opportunities at which a customer alive now (θ ~ beta(γ, d)) is
/// still alive.
fn survival_sum(gamma: f64, d: f64, m: u32) -> Result<f64> {
    if (gamma - 1.0).abs() >= 1e-3 {
        let mf = f64::from(m);
        // d/(γ − 1) [1 − Γ(γ + d) Γ(1 + d + m) / (Γ(1 + d) Γ(γ + d + m))]
        let parts = [
            ln_gamma(gamma + d),
            ln_gamma(1.0 + d + mf),
            ln_gamma(1.0 + d),
            ln_gamma(gamma + d + mf),
        ];
        let ln_ratio = parts[0] + parts[1] - parts[2] - parts[3];
        // Each ln Γ is off by a few units in the last place of its value
        // (Lanczos, special.rs), so ln_ratio by up to about 1e-14 Σ|ln Γ|.
        // For large δ the four values are ~δ ln δ while ln_ratio is
        // ~(1 − γ) m/δ (δ = 1e12 made this −3.9e6 instead of ~1e-9·m), so
        // the closed form is kept only when that bound is below 1e-8 of
        // |ln_ratio|; otherwise the terms are added one by one below.
        let noise = 1e-14 * parts.iter().map(|p| p.abs()).sum::<f64>();
        if noise <= 1e-8 * ln_ratio.abs() {
            return Ok(-d / (gamma - 1.0) * ln_ratio.exp_m1());
        }
    }
    if m > 10_000_000 {
        return Err(invalid_arg(
            "future",
            format!(
                "{m} opportunities where the closed form is inaccurate (gamma within 1e-3 of 1, or delta large against the opportunities): summed term by term, at most 10^7"
            ),
        ));
    }
    let (mut term, mut sum) = (1.0, 0.0);
    for j in 0..m {
        let j = f64::from(j);
        term *= (d + j) / (gamma + d + j);
        sum += term;
    }
    Ok(sum)
}

fn finite(v: f64, what: &str) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid_arg(
            "params",
            format!("the {what} is not finite ({v})"),
        ))
    }
}

/// LL and its gradient in (α, β, γ, δ).
pub(crate) fn ll_and_gradient(p: &BgBbParams, d: &BgBbData) -> (f64, [f64; 4]) {
    let BgBbParams {
        alpha,
        beta,
        gamma,
        delta,
    } = *p;
    // d/da ln B(a, b) = ψ(a) − ψ(a + b); the −ln B(α, β) − ln B(γ, δ) of
    // every term contributes the same to all of them.
    let base = [
        digamma(alpha + beta) - digamma(alpha),
        digamma(alpha + beta) - digamma(beta),
        digamma(gamma + delta) - digamma(gamma),
        digamma(gamma + delta) - digamma(delta),
    ];
    let (mut ll, mut g) = (0.0, [0.0; 4]);
    for row in 0..d.len() {
        let (x, t_x, n, w) = (d.x[row], d.t_x[row], d.n[row], d.weight[row]);
        let xf = f64::from(x);
        // Streaming: ln L = m + ln s, and acc / s the share-weighted mean
        // of the terms' gradients (shares e^(t − ln L)).
        let (mut m, mut s, mut acc) = (f64::NEG_INFINITY, 0.0, [0.0; 4]);
        for (t, y, c, z) in p.terms(x, t_x, n) {
            let dab = digamma(alpha + beta + xf + y);
            let dgd = digamma(gamma + delta + c + z);
            let tg = [
                digamma(alpha + xf) - dab,
                digamma(beta + y) - dab,
                digamma(gamma + c) - dgd,
                digamma(delta + z) - dgd,
            ];
            let e = if t > m {
                let scale = (m - t).exp();
                s *= scale;
                for a in &mut acc {
                    *a *= scale;
                }
                m = t;
                1.0
            } else {
                (t - m).exp()
            };
            s += e;
            for j in 0..4 {
                acc[j] += e * tg[j];
            }
        }
        ll += w * (m + s.ln());
        for j in 0..4 {
            g[j] += w * (acc[j] / s + base[j]);
        }
    }
    (ll, g)
}

/// Fit the BG/BB model by maximum likelihood.
///
/// The search runs on the logarithms of (α, β, γ, δ), from α = β = γ = δ = 1
/// first, then from other starts if that one does not converge; see
/// [`crate::optim`].
///
/// # Errors
/// [`Error::InvalidArgument`] for a negative
/// or non-finite `options.penalizer`. A fit that does not converge is not an
/// error: see [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData, BgBbParams};
/// use retentionkit::optim::{FitOptions, FitStatus};
/// // (x, t_x, n) of five groups of customers over 6 opportunities.
/// let data = BgBbData::new(&[0, 1, 2, 4, 6], &[0, 1, 5, 6, 6], &[6; 5], Some(&[30, 10, 8, 6, 9]))?;
/// let fit = fit_bg_bb(&data, &FitOptions::default())?;
/// assert_eq!(fit.status, FitStatus::Converged);
/// // The fit is at least as likely as any typed-in parameters.
/// let other = BgBbParams::new(1.0, 1.0, 1.0, 1.0)?;
/// assert!(fit.log_likelihood >= other.log_likelihood(&data));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_bg_bb(data: &BgBbData, options: &FitOptions) -> Result<Fit<BgBbParams>> {
    let from = |v: &[f64]| BgBbParams {
        alpha: v[0],
        beta: v[1],
        gamma: v[2],
        delta: v[3],
    };
    let ll = |v: &[f64]| {
        let (ll, g) = ll_and_gradient(&from(v), data);
        Some((ll, g.to_vec()))
    };
    let starts = [
        [1.0, 1.0, 1.0, 1.0],
        [0.1, 0.1, 0.1, 0.1],
        [2.0, 5.0, 0.5, 5.0],
        [5.0, 1.0, 2.0, 0.5],
    ]
    .map(|s| s.to_vec());
    let f = fit_positive(&ll, data.customers(), &starts, options)?;
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
            &[params.alpha, params.beta, params.gamma, params.delta],
            &[],
        ),
    })
}

#[cfg(test)]
mod tests;
