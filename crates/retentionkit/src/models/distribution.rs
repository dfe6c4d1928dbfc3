//! Predictive distributions of the repeat-purchase models, beyond the mean:
//! the whole-summary table of P(exactly n purchases) that
//! [`RepeatModel::purchase_distribution`] returns, and DERT, the discounted
//! expected residual transactions of [`RepeatModel::dert`].
//!
//! **DERT.** With a continuous discount rate δ per time unit (for an annual
//! rate d and data in weeks, δ = ln(1 + d)/52), the present value of a
//! customer's future purchases counted one each,
//!
//! $$ \mathrm{DERT}(\delta) = \int_0^\infty e^{-\delta u}\\, dE[Y(u)]
//!    = \int_0^\infty e^{-w}\\, E[Y(w/\delta)]\\, dw, $$
//!
//! (integration by parts, E[Y(0)] = 0 and E[Y(u)] growing at most linearly),
//! where E[Y(u)] is the model's conditional expectation (BG/NBD: Fader,
//! Hardie & Lee 2005, "Counting your customers the easy way", eq. 10). This
//! is the definition of Fader, Hardie & Lee (2005), "RFM and CLV: Using
//! Iso-Value Curves for Customer Base Analysis", Journal of Marketing
//! Research 42(4), 415–430; for BG/NBD and MBG/NBD it is evaluated as an
//! expectation over the drop-out probability of a one-dimensional integral
//! (derived in the doc of the crate-private `beta_geometric_dert`).
//! For the Pareto/NBD that paper gives it in closed form,
//!
//! $$ \mathrm{DERT} = P(\text{alive})\\, \frac{r + x}{\alpha + T}\\,
//!    (\beta + T)^s \delta^{s - 1}\\, \Psi(s, s; \delta(\beta + T)), $$
//!
//! Ψ the confluent hypergeometric function of the second kind, which is
//! E\[λ\] E\[1/(μ + δ)\] over the posterior gamma(r + x, α + T) of λ and
//! gamma(s, β + T) of μ given alive at T; the code evaluates E[1/(μ + δ)] =
//! ∫₀^∞ e^{−δu} ((β + T)/(β + T + u))ˢ du (Ψ's integral form) by the same
//! quadrature, and the tests check that both routes agree.
//! Source: docs/metrics.md, "Predictive distributions".

use crate::error::{invalid_arg, Result};
use crate::models::check_positive;
use crate::models::counts;

#[cfg(doc)]
use crate::models::repeat::RepeatModel;

/// The most purchases a [`PurchaseDistribution`] can count up to.
///
/// # Examples
/// ```
/// use retentionkit::models::distribution::{PurchaseDistribution, MAX_PURCHASES};
/// let too_wide = PurchaseDistribution { max_n: MAX_PURCHASES + 1, probabilities: vec![] };
/// assert!(too_wide.validate().is_err());
/// ```
pub const MAX_PURCHASES: u32 = 100_000;

/// P(exactly n purchases in the horizon) for n = 0..=`max_n` of every
/// customer of a summary ([`RepeatModel::purchase_distribution`]), one row
/// per customer in summary order, stored row by row.
///
/// Deserialization runs [`PurchaseDistribution::validate`].
///
/// # Examples
/// ```
/// use retentionkit::models::distribution::PurchaseDistribution;
/// // Two customers, P(0), P(1), P(2) each (typed in; each row sums to 1).
/// let d = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.3, 0.2, 0.9, 0.1, 0.0] };
/// assert_eq!(d.row(1), Some(&[0.9, 0.1, 0.0][..]));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PurchaseDistributionRaw"))]
pub struct PurchaseDistribution {
    /// The largest count n of a row; a row has `max_n + 1` probabilities.
    pub max_n: u32,
    /// The rows one after the other: customer i's P(n) at
    /// `i * (max_n + 1) + n`.
    pub probabilities: Vec<f64>,
}

checked_serde!(PurchaseDistribution by validate, PurchaseDistributionRaw {
    max_n: u32,
    probabilities: Vec<f64>,
});

impl PurchaseDistribution {
    /// Check that `max_n` is at most [`MAX_PURCHASES`] and that the
    /// probabilities fill whole rows of `max_n + 1`, which [`Self::row`]
    /// relies on. Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when either
    /// does not hold.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::distribution::PurchaseDistribution;
    /// // Two customers, P(0), P(1), P(2) each (typed in; each row sums to 1).
    /// let d = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.3, 0.2, 0.9, 0.1, 0.0] };
    /// assert!(d.validate().is_ok());
    /// let ragged = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.5] };
    /// assert!(ragged.validate().is_err()); // 2 values cannot fill rows of 3
    /// ```
    pub fn validate(&self) -> Result<()> {
        check_max_n(self.max_n)?;
        let width = self.width();
        if self.probabilities.len() % width == 0 {
            Ok(())
        } else {
            Err(invalid_arg(
                "probabilities",
                format!(
                    "{} values do not fill whole rows of {width} (max_n + 1)",
                    self.probabilities.len()
                ),
            ))
        }
    }

    /// The number of customers (rows).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::distribution::PurchaseDistribution;
    /// // Two customers, P(0), P(1), P(2) each (typed in; each row sums to 1).
    /// let d = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.3, 0.2, 0.9, 0.1, 0.0] };
    /// assert_eq!(d.rows(), 2);
    /// ```
    pub fn rows(&self) -> usize {
        self.probabilities.len() / self.width()
    }

    /// Customer `i`'s P(0), …, P(`max_n`); `None` past the last row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::distribution::PurchaseDistribution;
    /// // Two customers, P(0), P(1), P(2) each (typed in; each row sums to 1).
    /// let d = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.3, 0.2, 0.9, 0.1, 0.0] };
    /// assert_eq!(d.row(0), Some(&[0.5, 0.3, 0.2][..]));
    /// assert_eq!(d.row(2), None);
    /// ```
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        let w = self.width();
        self.probabilities.get(i * w..(i + 1) * w)
    }

    /// Customer `i`'s probability of no purchase at all in the horizon;
    /// `None` past the last row.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::distribution::PurchaseDistribution;
    /// // Two customers, P(0), P(1), P(2) each (typed in; each row sums to 1).
    /// let d = PurchaseDistribution { max_n: 2, probabilities: vec![0.5, 0.3, 0.2, 0.9, 0.1, 0.0] };
    /// assert_eq!((d.probability_no_purchase(0), d.probability_no_purchase(1)), (Some(0.5), Some(0.9)));
    /// ```
    pub fn probability_no_purchase(&self, i: usize) -> Option<f64> {
        self.row(i).and_then(|r| r.first().copied())
    }

    fn width(&self) -> usize {
        // max_n ≤ MAX_PURCHASES, so the conversion cannot fail on any
        // platform this crate builds for (usize ≥ 32 bits).
        usize::try_from(self.max_n).map_or(usize::MAX, |n| n + 1)
    }
}

/// `Ok` for a count limit the table can hold.
pub(crate) fn check_max_n(max_n: u32) -> Result<()> {
    if max_n <= MAX_PURCHASES {
        Ok(())
    } else {
        Err(invalid_arg(
            "max_n",
            format!("{max_n} is above the largest count a table holds, {MAX_PURCHASES}"),
        ))
    }
}

/// DERT by its definition (module doc) from a model's conditional
/// expectation `expected(u)` = E[Y(u)]: slow (E[Y(u)] is a long series at
/// large u), the tests' reference for the models' faster forms.
#[cfg(test)]
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `discount_rate` unless it is finite and positive; `expected`'s errors.
pub(crate) fn dert_by_integral(
    discount_rate: f64,
    expected: impl Fn(f64) -> Result<f64>,
) -> Result<f64> {
    check_positive(discount_rate, "discount_rate")?;
    let v = counts::laplace_integral(|w| {
        if w <= 0.0 {
            Ok(0.0)
        } else {
            expected(w / discount_rate)
        }
    })?;
    finite(v)
}

/// BG/NBD (and MBG/NBD) DERT of a customer with probability alive `alive`
/// and posterior parameters (r', α', a, b') given alive (BG/NBD (r + x,
/// α + T, a, b + x); MBG/NBD b' = b + x + 1). Alive at T, a customer with
/// rate λ and drop-out chance p buys at the rate λ E[(1 − p)^{N(u)}] =
/// λ e^{−λpu} at T + u; its mean over λ ~ gamma(r', α') is
/// (r'/α') (1 + pu/α')^{−(r'+1)}, so
///
/// $$ \mathrm{DERT} = P(\text{alive}) \frac{r'}{\alpha'} E_p\left[\int_0^\infty e^{-\delta u}
///    \left(1 + \frac{p u}{\alpha'}\right)^{-(r' + 1)} du\right], \quad p \sim \mathrm{beta}(a, b'), $$
///
/// the inner integral by [`counts::laplace_integral`], the outer one over p
/// in two halves with p = v^{4/a} below 1/2 and 1 − p = v^{4/b'} above,
/// which take the beta density's end-point singularities out of the
/// integrand. The same quantity as `dert_by_integral` of the model's
/// E[Y(u)], at a small part of the cost (the tests compare them).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `discount_rate` unless it is finite and positive, or when a quadrature
/// does not converge.
pub(crate) fn beta_geometric_dert(
    discount_rate: f64,
    alive: f64,
    (r, alpha, a, b): (f64, f64, f64, f64),
) -> Result<f64> {
    check_positive(discount_rate, "discount_rate")?;
    // δ × the inner integral, a function of p.
    let inner = |p: f64| {
        let scale = p / (discount_rate * alpha);
        counts::laplace_integral(|w| Ok((-(r + 1.0) * (w * scale).ln_1p()).exp()))
    };
    let ln_norm =
        crate::special::ln_gamma(a) + crate::special::ln_gamma(b) - crate::special::ln_gamma(a + b);
    // p = v^{4/a} below 1/2 and 1 − p = v^{4/b'} above: the beta density
    // times dp becomes (4/a) v³ dv (resp. (4/b') v³ dv), and what is left
    // of the end points' non-integer powers is of order v^{3 + 4/a}, which
    // the 20-point rule integrates without endless halving.
    let lower = integrate_checked(
        |v| {
            let p = v.powf(4.0 / a);
            Ok(v.powi(3) * inner(p)? * ((b - 1.0) * (-p).ln_1p()).exp())
        },
        0.5f64.powf(a / 4.0),
    )? * 4.0
        / a;
    let upper = integrate_checked(
        |v| {
            let q = v.powf(4.0 / b);
            Ok(v.powi(3) * inner(1.0 - q)? * ((a - 1.0) * (-q).ln_1p()).exp())
        },
        0.5f64.powf(b / 4.0),
    )? * 4.0
        / b;
    let mean = (lower + upper) * (-ln_norm).exp();
    finite(alive * r / alpha * mean / discount_rate)
}

/// ∫₀ᵘᵖᵗᵒ f to 1e-10 relative, with `f`'s first error.
fn integrate_checked(f: impl Fn(f64) -> Result<f64>, upto: f64) -> Result<f64> {
    let failure = std::cell::RefCell::new(None);
    let g = |v: f64| match f(v) {
        Ok(y) => y,
        Err(e) => {
            failure.borrow_mut().get_or_insert(e);
            0.0
        }
    };
    let v = counts::integrate_to(&g, 0.0, upto, 1e-10);
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    v.ok_or_else(|| {
        invalid_arg(
            "discount_rate",
            "the integral over the drop-out probability did not converge",
        )
    })
}

/// Pareto/NBD DERT (module doc) of a customer with probability alive
/// `alive` and posterior parameters (r + x, α + T, s, β + T).
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
/// `discount_rate` unless it is finite and positive, or when a quadrature
/// does not converge.
pub(crate) fn pareto_dert(
    discount_rate: f64,
    alive: f64,
    (r, alpha, s, beta): (f64, f64, f64, f64),
) -> Result<f64> {
    check_positive(discount_rate, "discount_rate")?;
    // E[1/(μ + δ)] = ∫₀^∞ e^{−δu} (1 + u/β)^{−s} du = (1/δ) ∫₀^∞ e^{−w} (1 + w/(δβ))^{−s} dw.
    let scale = discount_rate * beta;
    let inverse = counts::laplace_integral(|w| Ok((-s * (w / scale).ln_1p()).exp()))?;
    finite(alive * r / alpha * inverse / discount_rate)
}

fn finite(v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(invalid_arg(
            "discount_rate",
            format!("the discounted expected residual transactions are not finite ({v})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::models::pareto_nbd::ParetoNbdParams;

    #[test]
    fn bg_nbd_and_mbg_nbd_dert_equal_the_integral_of_their_expectation() {
        // The expectation over p of beta_geometric_dert against
        // ∫ e^{−w} E[Y(w/δ)] dw with the models' own E[Y(t)] (FHL 2005
        // eq. 10 and its MBG/NBD form), at the CDNOW estimates, δ = 0.01.
        use crate::models::bg_nbd::BgNbdParams;
        use crate::models::mbg_nbd::MbgNbdParams;
        let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
        let delta = 0.01;
        for (x, tx, t) in [(0, 0.0, 38.86), (2, 30.43, 38.86)] {
            let pairs = [
                (
                    bg.dert(x, tx, t, delta).unwrap(),
                    super::dert_by_integral(delta, |u| bg.expected_purchases(x, tx, t, u)).unwrap(),
                ),
                (
                    mbg.dert(x, tx, t, delta).unwrap(),
                    super::dert_by_integral(delta, |u| mbg.expected_purchases(x, tx, t, u))
                        .unwrap(),
                ),
            ];
            for (fast, generic) in pairs {
                assert!(
                    (fast - generic).abs() <= 1e-8 * generic,
                    "({x}, {tx}, {t}): {fast} vs {generic}"
                );
            }
        }
    }

    #[test]
    fn pareto_dert_closed_form_equals_the_integral_of_its_expectation() {
        // Two routes: E[λ] E[1/(μ + δ)] (pareto_dert) against
        // ∫ e^{−w} E[Y(w/δ)] dw with Schmittlein et al.'s E[Y(t)], which
        // shares only the quadrature. FHL (2005)'s CDNOW estimates, δ =
        // ln(1.15)/52 (15 % a year, weekly) and a faster 0.01.
        let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
        for delta in [1.15f64.ln() / 52.0, 0.01] {
            for (x, tx, t) in [(0, 0.0, 38.86), (1, 30.43, 38.86), (12, 38.0, 39.0)] {
                let closed = p.dert(x, tx, t, delta).unwrap();
                let generic =
                    super::dert_by_integral(delta, |u| p.expected_purchases(x, tx, t, u)).unwrap();
                assert!(
                    (closed - generic).abs() <= 1e-9 * closed,
                    "({x}, {tx}, {t}), δ = {delta}: {closed} vs {generic}"
                );
            }
        }
    }
}
