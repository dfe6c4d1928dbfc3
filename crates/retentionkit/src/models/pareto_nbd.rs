//! The Pareto/NBD model of repeat buying (non-contractual, continuous time).
//!
//! While alive, a customer buys as a Poisson process with rate λ ~
//! gamma(r, α); their lifetime is exponential with rate μ ~ gamma(s, β),
//! independent of λ. For a customer with x repeat purchases, the last at
//! t_x, and age T (Schmittlein, Morrison & Colombo 1987; in the form of
//! Fader, Hardie & Lee 2005, "A Note on Deriving the Pareto/NBD Model and
//! Related Expressions", equations 18–20):
//!
//! $$ L = \frac{\Gamma(r + x)\\,\alpha^r \beta^s}{\Gamma(r)}
//!   \left[\frac{1}{(\alpha + T)^{r + x} (\beta + T)^s} + \frac{s}{r + s + x} A_0\right] $$
//!
//! where, for α ≥ β,
//! $$ A_0 = \frac{{}_2F_1\\!\left(r + s + x, s + 1; r + s + x + 1; \frac{\alpha - \beta}{\alpha + t_x}\right)}{(\alpha + t_x)^{r + s + x}}
//!        - \frac{{}_2F_1\\!\left(r + s + x, s + 1; r + s + x + 1; \frac{\alpha - \beta}{\alpha + T}\right)}{(\alpha + T)^{r + s + x}} $$
//! and, for β > α, the same with α and β swapped and s + 1 replaced by r + x,
//! so the argument of ₂F₁ is always in [0, 1).
//!
//! Computed in log space: Euler's transformation
//! ₂F₁(a, b; a + 1; z) = (1 − z)^{1−b} ₂F₁(1, a + 1 − b; a + 1; z) turns
//! each term of A₀ into G(u) = (α + u)^{−(r+x)} (β + u)^{−s} ₂F₁(1, r + x;
//! r + s + x + 1; (α − β)/(α + u)) (α ≥ β), or G(u) = (α + u)^{−(r+x−1)}
//! (β + u)^{−(s+1)} ₂F₁(1, s + 1; r + s + x + 1; (β − α)/(β + u)) (β > α),
//! a series of positive terms that cannot overflow for large x or T; then
//! ln A₀ = ln G(t_x) + ln(1 − G(T)/G(t_x)).
//!
//! Near z = 1 that series needs up to about 37/(1 − z) terms (fits and
//! bootstrap replicates that drift towards s, β → ∞ with s/β fixed reach
//! z ≈ 0.998, 10⁴ terms a row). Past z = 0.98 (`SERIES_Z`) the code takes
//! A₀ from the integral it comes from instead: the probability of dying
//! in (t_x, T] is ∫ λˣ e^{−λτ} μ e^{−μτ} dτ over (t_x, T] (FHL note,
//! equation 2's second term), so after the gamma mixing
//!
//! $$ \frac{s}{r + s + x} A_0 = s \int_{t_x}^{T} (\alpha + \tau)^{-(r + x)} (\beta + \tau)^{-(s + 1)} \\,d\tau, $$
//!
//! a smooth integral over a finite range (with α = β both sides are
//! s [(α + t_x)^{−(r+s+x)} − (α + T)^{−(r+s+x)}]/(r + s + x)). It is
//! evaluated by Gauss–Legendre quadrature in w = ln(min(α, β) + τ), 20
//! nodes on each of ⌈K W / 8⌉ equal panels of the range W of w, where
//! K = 1 + (r + x)(m + T)/(α + T) + (s + 1)(m + T)/(β + T) bounds the slope
//! of the log of the integrand in w; its gradient in (r, α, s, β) is the
//! same rule applied to the derivatives under the integral sign. The tests
//! check it against the series where both apply (derived here; the
//! panelling is ours).
//!
//! $$ P(\text{alive}) = \left[1 + \frac{s}{r + s + x} (\alpha + T)^{r + x} (\beta + T)^s A_0\right]^{-1} $$
//!
//! $$ E[Y(t) \mid x, t_x, T] = P(\text{alive})\\, \frac{(r + x)(\beta + T)}{(\alpha + T)(s - 1)}
//!    \left[1 - \left(\frac{\beta + T}{\beta + T + t}\right)^{s - 1}\right] $$
//!
//! $$ E[X(t)] = \frac{r \beta}{\alpha (s - 1)} \left[1 - \left(\frac{\beta}{\beta + t}\right)^{s - 1}\right] $$
//!
//! (for s = 1 the bracket over s − 1 is its limit ln((β + T + t)/(β + T))).
//!
//! Source: Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987),
//! "Counting Your Customers: Who Are They and What Will They Do Next?",
//! Management Science 33(1), 1–24; Fader, P. S., Hardie, B. G. S. & Lee,
//! K. L. (2005), "A Note on Deriving the Pareto/NBD Model and Related
//! Expressions", <http://brucehardie.com/notes/009/>, equations 18–20
//! (likelihood), 21 (probability alive), 41 (conditional expectation) and
//! 17 (expectation of a new customer).

use crate::error::{check_non_negative, invalid_arg, Result};
use crate::models::data::{check_customer, RepeatData};
use crate::models::{check_positive, counts};
use crate::optim::{boundary_status, fit_positive_warm, Fit, FitOptions, FitStatus, LogLikelihood};
use crate::special::{digamma, hyp2f1_one_within, ln_gamma};

/// Parameters of the Pareto/NBD model.
///
/// Deserialization checks the parameters as [`ParetoNbdParams::new`] does.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ParetoNbdParamsRaw"))]
pub struct ParetoNbdParams {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma distribution of purchase rates, in the data's time unit.
    pub alpha: f64,
    /// Shape of the gamma distribution of drop-out rates.
    pub s: f64,
    /// Scale of the gamma distribution of drop-out rates, in the data's time unit.
    pub beta: f64,
}

checked_serde!(ParetoNbdParams by new, ParetoNbdParamsRaw {
    r: f64,
    alpha: f64,
    s: f64,
    beta: f64,
});

/// The largest r and s the fit's objective evaluates ([`ll_and_gradient`]
/// is `None` beyond): past them terms such as s ln β (about 10⁹ at
/// s = 10⁸) cancel to fewer digits than the likelihood needs. A fit that
/// goes there is at the boundary anyway (shapes above 10⁴, see
/// [`crate::optim::SHAPE_BOUNDS`]); a bootstrap replicate of CDNOW that
/// drifted towards s, β → ∞ went on to s = 4·10²⁰ and took minutes.
const SHAPE_LIMIT: f64 = 1e8;

/// The largest argument z of a ₂F₁ series of the likelihood or of
/// P(alive): past it the series may need more than 39/(−ln z) ≈ 2,000
/// terms, and the integral of the module doc replaces it.
const SERIES_Z: f64 = 0.98;

/// The argument of the ₂F₁ in G(u) (module doc).
fn series_z(p: &ParetoNbdParams, u: f64) -> f64 {
    if p.alpha >= p.beta {
        (p.alpha - p.beta) / (p.alpha + u)
    } else {
        (p.beta - p.alpha) / (p.beta + u)
    }
}

/// ln G(u) of the module doc and its gradient in (r, α, s, β); `None` when
/// its series is slow (z > [`SERIES_Z`]) or does not converge.
fn ln_g(p: &ParetoNbdParams, x: f64, u: f64, grad: bool) -> Option<(f64, [f64; 4])> {
    if series_z(p, u) > SERIES_Z {
        return None;
    }
    ln_g_within(p, x, u, grad, 100_000)
}

/// [`ln_g`] with at most `max_terms` terms of its series.
fn ln_g_within(
    p: &ParetoNbdParams,
    x: f64,
    u: f64,
    grad: bool,
    max_terms: u32,
) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (la, lb) = ((alpha + u).ln(), (beta + u).ln());
    let c = r + s + x + 1.0;
    if alpha >= beta {
        let z = (alpha - beta) / (alpha + u);
        let h = hyp2f1_one_within(r + x, c, z, max_terms)?;
        let v = -(r + x) * la - s * lb + h.value.ln();
        if !grad {
            return Some((v, [0.0; 4]));
        }
        let (he, hc, hz) = (h.d_e / h.value, h.d_c / h.value, h.d_z / h.value);
        Some((
            v,
            [
                -la + he + hc,
                -(r + x) / (alpha + u) + hz * (beta + u) / ((alpha + u) * (alpha + u)),
                -lb + hc,
                -s / (beta + u) - hz / (alpha + u),
            ],
        ))
    } else {
        let z = (beta - alpha) / (beta + u);
        let h = hyp2f1_one_within(s + 1.0, c, z, max_terms)?;
        let v = -(r + x - 1.0) * la - (s + 1.0) * lb + h.value.ln();
        if !grad {
            return Some((v, [0.0; 4]));
        }
        let (he, hc, hz) = (h.d_e / h.value, h.d_c / h.value, h.d_z / h.value);
        Some((
            v,
            [
                -la + hc,
                -(r + x - 1.0) / (alpha + u) - hz / (beta + u),
                -lb + he + hc,
                -(s + 1.0) / (beta + u) + hz * (alpha + u) / ((beta + u) * (beta + u)),
            ],
        ))
    }
}

/// The quadrature of the module doc for t_x < T:
/// ln ∫ ((α + τ)/(α + T))^{−(r+x)} ((β + τ)/(β + T))^{−(s+1)} dτ over
/// (t_x, T], and the gradient in (r, α, s, β) of
/// ln I = that − (r + x) ln(α + T) − (s + 1) ln(β + T), the integral of
/// the module doc without its factor s. `None` when the rule would need
/// more than 4,096 panels (K W > 32,768: parameters far outside any fit).
fn ln_integral(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let m = alpha.min(beta);
    let (a_m, b_m) = (alpha - m, beta - m);
    let (at, bt) = (alpha + t, beta + t);
    let w0 = (m + t_x).ln();
    let width = ((t - t_x) / (m + t_x)).ln_1p();
    let slope = 1.0 + (r + x) * (m + t) / at + (s + 1.0) * (m + t) / bt;
    let panels = (width * slope / 8.0).ceil().max(1.0);
    if !(panels <= 4096.0 && width > 0.0) {
        return None;
    }
    let h = width / panels;
    // Streaming log-sum-exp: the integral is e^top · sum; the gradient's
    // weighted means use the same scale.
    let (mut top, mut sum) = (f64::NEG_INFINITY, 0.0f64);
    let (mut s_la, mut s_ia, mut s_lb, mut s_ib) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut panel = 0.0f64;
    while panel < panels {
        for &(node, weight) in counts::gauss_legendre() {
            let w = w0 + h * (panel + 0.5 * (1.0 + node));
            let e = w.exp();
            let (a_tau, b_tau) = (a_m + e, b_m + e);
            // ln((α + τ)/(α + T)) from τ − T, which keeps its digits when
            // β ≫ T (β/(β + T) rounds to 1 past β ≈ 10¹⁶ T).
            let tau_t = e - (m + t);
            let (la, lb) = ((tau_t / at).ln_1p(), (tau_t / bt).ln_1p());
            let v = w - (r + x) * la - (s + 1.0) * lb + weight.ln();
            if v > top {
                let scale = (top - v).exp();
                sum *= scale;
                s_la *= scale;
                s_ia *= scale;
                s_lb *= scale;
                s_ib *= scale;
                top = v;
            }
            let f = (v - top).exp();
            sum += f;
            s_la += f * la;
            s_ia += f / a_tau;
            s_lb += f * lb;
            s_ib += f / b_tau;
        }
        panel += 1.0;
    }
    let rel = top + (0.5 * h * sum).ln();
    let grad = [
        -(at.ln() + s_la / sum),
        -(r + x) * s_ia / sum,
        -(bt.ln() + s_lb / sum),
        -(s + 1.0) * s_ib / sum,
    ];
    (rel.is_finite() && grad.iter().all(|g| g.is_finite())).then_some((rel, grad))
}

/// ln(s/(r + s + x) A₀) = ln(s I) and its gradient, by [`ln_integral`].
fn ln_w_integral(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (rel, mut g) = ln_integral(p, x, t_x, t)?;
    let v = s.ln() + rel - (r + x) * (alpha + t).ln() - (s + 1.0) * (beta + t).ln();
    g[2] += 1.0 / s;
    v.is_finite().then_some((v, g))
}

/// ln L of one customer and its gradient (zeros unless `grad`); `None`
/// when it can be evaluated neither by the series nor by the integral.
#[cfg(test)]
fn ln_l(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64, grad: bool) -> Option<(f64, [f64; 4])> {
    ln_l_with(p, (x, t_x, t), grad, &Shared::default())
}

/// What the rows of one evaluation share: G(0) for x = 0 (every such row
/// has t_x = 0), and ln Γ(r + x) − ln Γ(r), ψ(r + x) − ψ(r) for small x by
/// their recurrences.
#[derive(Default)]
struct Shared {
    g0: Option<(f64, [f64; 4])>,
    lg: Vec<f64>,
    dg: Vec<f64>,
}

impl Shared {
    fn new(p: &ParetoNbdParams, d: &RepeatData) -> Self {
        let max_x = d.x.iter().fold(0.0f64, |m, &x| m.max(x)).min(4096.0);
        // None also when its series is slow: the rows then take the integral.
        let g0 = if d.x.contains(&0.0) {
            ln_g(p, 0.0, 0.0, true)
        } else {
            None
        };
        let (mut lg, mut dg) = (vec![0.0], vec![0.0]);
        let mut x = 0.0;
        while x < max_x {
            let (l, g) = (lg[lg.len() - 1], dg[dg.len() - 1]);
            lg.push(l + (p.r + x).ln());
            dg.push(g + 1.0 / (p.r + x));
            x += 1.0;
        }
        Self { g0, lg, dg }
    }

    /// (ln Γ(r + x) − ln Γ(r), ψ(r + x) − ψ(r)).
    fn gammas(&self, r: f64, x: f64) -> (f64, f64) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // x is a whole u32 count
        match self.lg.get(x as usize).zip(self.dg.get(x as usize)) {
            Some((&l, &g)) if x < 4096.0 => (l, g),
            _ => (ln_gamma(r + x) - ln_gamma(r), digamma(r + x) - digamma(r)),
        }
    }
}

/// ln L of one customer and its gradient (zeros unless `grad`), the
/// shared values in `shared`.
fn ln_l_with(
    p: &ParetoNbdParams,
    (x, t_x, t): (f64, f64, f64),
    grad: bool,
    shared: &Shared,
) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (lat, lbt) = ((alpha + t).ln(), (beta + t).ln());
    let (lg, dg) = shared.gammas(r, x);
    let ln_c = lg + r * alpha.ln() + s * beta.ln();
    let ln_p = -(r + x) * lat - s * lbt;
    let g0 = if x == 0.0 { shared.g0 } else { None };
    let Second::Term(ln_w_a0, d_w_a0) = second_term(p, x, t_x, t, grad, (g0, None))? else {
        // t_x = T: A₀ = 0, L = C P.
        let g = if grad {
            [
                dg + alpha.ln() - lat,
                r / alpha - (r + x) / (alpha + t),
                beta.ln() - lbt,
                s / beta - s / (beta + t),
            ]
        } else {
            [0.0; 4]
        };
        return Some((ln_c + ln_p, g));
    };
    let m = ln_p.max(ln_w_a0);
    let v = ln_c + m + ((ln_p - m).exp() + (ln_w_a0 - m).exp()).ln();
    if !grad {
        return Some((v, [0.0; 4]));
    }
    // Share of the A₀ term in the bracket.
    let sh = 1.0 / (1.0 + (ln_p - ln_w_a0).exp());
    let d_c = [dg + alpha.ln(), r / alpha, beta.ln(), s / beta];
    let d_p = [-lat, -(r + x) / (alpha + t), -lbt, -s / (beta + t)];
    let mut g = [0.0; 4];
    for j in 0..4 {
        g[j] = d_c[j] + (1.0 - sh) * d_p[j] + sh * d_w_a0[j];
    }
    Some((v, g))
}

/// The second term of the bracket of L.
enum Second {
    /// A₀ = 0 (t_x = T).
    Zero,
    /// ln(s/(r + s + x) A₀) and its gradient.
    Term(f64, [f64; 4]),
}

/// ln G and its gradient in (r, α, s, β).
type LnG = (f64, [f64; 4]);

/// ln(s/(r + s + x) A₀) and its gradient; `None` when a series does not
/// converge. `pre` holds ln G(t_x) and ln G(T) where already known.
fn second_term(
    p: &ParetoNbdParams,
    x: f64,
    t_x: f64,
    t: f64,
    grad: bool,
    pre: (Option<LnG>, Option<LnG>),
) -> Option<Second> {
    let ParetoNbdParams { r, s, .. } = *p;
    if t_x >= t {
        return Some(Second::Zero);
    }
    let g1 = pre.0.or_else(|| ln_g(p, x, t_x, grad));
    let g2 = pre.1.or_else(|| ln_g(p, x, t, grad));
    let (Some((g1, d1)), Some((g2, d2))) = (g1, g2) else {
        // A slow series: the integral of the module doc.
        let (v, g) = ln_w_integral(p, x, t_x, t)?;
        return Some(Second::Term(v, if grad { g } else { [0.0; 4] }));
    };
    // q = G(T)/G(t_x) < 1 since G decreases.
    let q = (g2 - g1).exp();
    if q >= 1.0 {
        return Some(Second::Zero);
    }
    let one_minus_q = -(g2 - g1).exp_m1();
    let rsx = r + s + x;
    let v = s.ln() - rsx.ln() + g1 + one_minus_q.ln();
    let mut g = [0.0; 4];
    if grad {
        for j in 0..4 {
            g[j] = (d1[j] - q * d2[j]) / one_minus_q;
        }
        g[0] -= 1.0 / rsx;
        g[2] += 1.0 / s - 1.0 / rsx;
    }
    Some(Second::Term(v, g))
}

impl ParetoNbdParams {
    /// Typed-in parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) unless all
    /// are finite and positive.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        check_positive(r, "r")?;
        check_positive(alpha, "alpha")?;
        check_positive(s, "s")?;
        check_positive(beta, "beta")?;
        Ok(Self { r, alpha, s, beta })
    }

    /// The log-likelihood of the data: Σ weight · ln L (module doc), or
    /// −∞ when it cannot be evaluated (parameters so extreme that the
    /// integral of the module doc would need more than 4,096 panels, such as
    /// s or r + x above 10⁵ with T/β or T/α not small).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::{pareto_nbd::ParetoNbdParams, RepeatData};
    /// // With α = β, ₂F₁ = 1 and A₀ = (α + t_x)^{−(r+s+x)} − (α + T)^{−(r+s+x)}.
    /// // r = s = α = β = 1, x = 1, t_x = 1, T = 3: C = Γ(2)/Γ(1) = 1,
    /// // first term 1/(4² · 4) = 1/64, A₀ = 2⁻³ − 4⁻³ = 7/64, s/(r + s + x) = 1/3:
    /// // L = 1/64 + 7/192 = 10/192.
    /// let p = ParetoNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let d = RepeatData::new(&[1], &[1.0], &[3.0], None)?;
    /// assert!((p.log_likelihood(&d) - (10.0f64 / 192.0).ln()).abs() < 1e-14);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn log_likelihood(&self, data: &RepeatData) -> f64 {
        let shared = Shared::new(self, data);
        let mut ll = 0.0;
        for i in 0..data.len() {
            match ln_l_with(self, (data.x[i], data.t_x[i], data.t[i]), false, &shared) {
                Some((v, _)) => ll += data.weight[i] * v,
                None => return f64::NEG_INFINITY,
            }
        }
        ll
    }

    /// Probability that a customer with `frequency` repeat purchases, the
    /// last at `recency`, and age `age` is still alive (module doc, FHL
    /// note eq. 21). 1 when the last purchase is at the age (t_x = T).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an
    /// impossible (x, t_x, T), by the rules of [`RepeatData::new`], or a
    /// likelihood that cannot be evaluated (as in
    /// [`ParetoNbdParams::log_likelihood`]).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // r = s = α = β = 1, x = 1, t_x = 1, T = 3 (see log_likelihood):
    /// // s/(r + s + x) (α + T)^{r+x} (β + T)^s A₀ = 1/3 · 64 · 7/64 = 7/3,
    /// // so P = 1 / (1 + 7/3) = 0.3.
    /// let p = ParetoNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// assert!((p.probability_alive(1, 1.0, 3.0)? - 0.3).abs() < 1e-15);
    /// assert_eq!(p.probability_alive(2, 3.0, 3.0)?, 1.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        self.p_alive(f64::from(frequency), recency, age)
    }

    /// P(alive) = 1/(1 + e^l) with l = ln(s/(r + s + x)) + ln G(t_x) −
    /// ln P + ln(1 − G(T)/G(t_x)), P = (α + T)^{−(r+x)} (β + T)^{−s}
    /// (module doc, FHL note eq. 21 with A₀ = G(t_x) − G(T)).
    ///
    /// ln G(t_x) − ln P and ln G(T) − ln G(t_x) are formed from the ratios
    /// L_α = ln((α + T)/(α + t_x)) and L_β = ln((β + T)/(β + t_x)), not as
    /// differences of ln G and ln P: those hold s ln(β + T), which
    /// overflows for s near `f64::MAX` (s = 1.43e308 gave −∞ − (−∞) = NaN).
    /// With α ≥ β, G(u) = (α + u)^{−(r+x)} (β + u)^{−s} F(u), so
    ///   ln G(t_x) − ln P = (r + x) L_α + s L_β + ln F(t_x),
    ///   ln G(T) − ln G(t_x) = −(r + x) L_α − s L_β + ln F(T) − ln F(t_x);
    /// with β > α, G(u) = (α + u)^{−(r+x−1)} (β + u)^{−(s+1)} F(u), so
    ///   ln G(t_x) − ln P = (r + x) L_α + s L_β + ln((α + t_x)/(β + t_x)) + ln F(t_x),
    ///   ln G(T) − ln G(t_x) = −(r + x − 1) L_α − (s + 1) L_β + ln F(T) − ln F(t_x).
    /// F is the ₂F₁ factor of the module doc (≥ 1, a series of positive terms).
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64> {
        if t_x >= t {
            return Ok(1.0);
        }
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let c = r + s + x + 1.0;
        let ln_f = |u: f64| {
            let z = series_z(self, u);
            let h = if z > SERIES_Z {
                None
            } else if alpha >= beta {
                hyp2f1_one_within(r + x, c, z, 100_000)
            } else {
                hyp2f1_one_within(s + 1.0, c, z, 100_000)
            };
            h.map(|h| h.value.ln())
        };
        let (Some(f1), Some(f2)) = (ln_f(t_x), ln_f(t)) else {
            // A slow series: s I / P from the integral of the module doc,
            // ln(s I) − ln P = ln s + ln ∫ … − ln(β + T) (see ln_integral).
            let (rel, _) = ln_integral(self, x, t_x, t).ok_or_else(not_converged)?;
            return Ok(inverse_one_plus_exp(s.ln() + rel - (beta + t).ln()));
        };
        let (l_a, l_b) = (
            ((t - t_x) / (alpha + t_x)).ln_1p(),
            ((t - t_x) / (beta + t_x)).ln_1p(),
        );
        let (g1_over_p, g2_over_g1) = if alpha >= beta {
            (
                (r + x) * l_a + s * l_b + f1,
                -(r + x) * l_a - s * l_b + f2 - f1,
            )
        } else {
            (
                (r + x) * l_a + s * l_b + ((alpha + t_x).ln() - (beta + t_x).ln()) + f1,
                -(r + x - 1.0) * l_a - (s + 1.0) * l_b + f2 - f1,
            )
        };
        // G decreases, so G(T)/G(t_x) < 1; at rounding level it is A₀ = 0.
        if g2_over_g1 >= 0.0 {
            return Ok(1.0);
        }
        let one_minus_q = -g2_over_g1.exp_m1();
        // ln(s/(r + s + x)) = −ln(1 + (r + x)/s): no r + s to overflow.
        let l = -((r + x) / s).ln_1p() + g1_over_p + one_minus_q.ln();
        if l.is_nan() {
            return Err(not_converged());
        }
        Ok(inverse_one_plus_exp(l))
    }

    /// Expected number of purchases in the next `horizon` time units of a
    /// customer with (x, t_x, T) = (`frequency`, `recency`, `age`) (module
    /// doc, FHL note eq. 41; lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// As [`ParetoNbdParams::probability_alive`], and
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // r = s = α = β = 1, x = 1, t_x = 1, T = 3: P(alive) = 0.3 (see
    /// // probability_alive); s = 1, so the bracket is ln((β + T + t)/(β + T)):
    /// // t = 4 gives 0.3 · (2 · 4 / 4) · ln 2 = 0.6 ln 2.
    /// let p = ParetoNbdParams::new(1.0, 1.0, 1.0, 1.0)?;
    /// let e = p.expected_purchases(1, 1.0, 3.0, 4.0)?;
    /// assert!((e - 0.6 * 2f64.ln()).abs() < 1e-15);
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
        check_non_negative(horizon, "horizon")?;
        let x = f64::from(frequency);
        let alive = self.p_alive(x, recency, age)?;
        let Self { r, alpha, s, beta } = *self;
        let v = alive * (r + x) * (beta + age) / (alpha + age)
            * bracket(s, (horizon / (beta + age)).ln_1p());
        finite(v)
    }

    /// Expected number of repeat purchases in `horizon` time units of a
    /// customer just acquired (module doc, FHL note eq. 17; lifetimes'
    /// `expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // r = α = β = 1, s = 2: rβ/(α(s − 1)) [1 − β/(β + t)] = 1 − 1/(1 + t);
    /// // t = 3 gives 0.75.
    /// let p = ParetoNbdParams::new(1.0, 1.0, 2.0, 1.0)?;
    /// assert!((p.expected_purchases_new(3.0)? - 0.75).abs() < 1e-15);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        check_non_negative(horizon, "horizon")?;
        let Self { r, alpha, s, beta } = *self;
        finite(r * beta / alpha * bracket(s, (horizon / beta).ln_1p()))
    }
    /// Probability that a customer just acquired makes exactly `n` repeat
    /// purchases in `horizon` time units (Fader & Hardie 2006, "Deriving an
    /// Expression for P(X(t) = x) Under the Pareto/NBD Model"; evaluated as
    /// in [`counts`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a
    /// negative or non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // lifetimes 0.11.3's conditional_probability_of_n_purchases_up_to_time
    /// // (1, 39, 0, 0, 0) with the CDNOW estimates of FHL (2005):
    /// // 0.16556294727717552 (tests/data/models/lifetimes_counts.txt).
    /// let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
    /// assert!((p.probability_of_purchases_new(39.0, 1)? - 0.165_562_947_277_175_52).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn probability_of_purchases_new(&self, horizon: f64, n: u32) -> Result<f64> {
        check_non_negative(horizon, "horizon")?;
        counts::pareto_pmf(n, horizon, (self.r, self.alpha, self.s, self.beta))
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) makes exactly `n` purchases in the next `horizon`
    /// time units: P(alive) times the Pareto/NBD probability of a new
    /// customer with parameters (r + x, α + T, s, β + T), plus 1 − P(alive)
    /// for n = 0 (derivation in [`counts`]; the same
    /// quantity as eq. 16 of Fader & Hardie's note "Deriving the Conditional
    /// PMF of the Pareto/NBD Model", lifetimes'
    /// `conditional_probability_of_n_purchases_up_to_time`).
    ///
    /// # Errors
    /// As [`ParetoNbdParams::probability_alive`], and for a negative or
    /// non-finite `horizon`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // lifetimes 0.11.3: 0.22600082175057495 for n = 1 in 39 weeks of a
    /// // customer with x = 1, t_x = 30.43, T = 38.86
    /// // (tests/data/models/lifetimes_counts.txt).
    /// let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
    /// let v = p.probability_of_purchases(1, 30.43, 38.86, 39.0, 1)?;
    /// assert!((v - 0.226_000_821_750_574_95).abs() < 1e-10);
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
        check_non_negative(horizon, "horizon")?;
        let x = f64::from(frequency);
        let Self { r, alpha, s, beta } = *self;
        let fresh = counts::pareto_pmf(n, horizon, (r + x, alpha + age, s, beta + age))?;
        counts::mix_with_gone(n, self.p_alive(x, recency, age)?, fresh)
    }

    /// Probability that a customer with (x, t_x, T) = (`frequency`,
    /// `recency`, `age`) is still alive at T + `horizon`: alive at T, μ's
    /// posterior is gamma(s, β + T), so
    ///
    /// $$ P(\text{alive at } T + t) = P(\text{alive at } T)
    ///    \left(\frac{\beta + T}{\beta + T + t}\right)^s $$
    ///
    /// (Schmittlein, Morrison & Colombo 1987, section 3; Fader & Hardie's
    /// note "A Note on Deriving the Pareto/NBD Model and Related
    /// Expressions", 2005, section 5, for P(alive at T)).
    ///
    /// # Errors
    /// As [`ParetoNbdParams::probability_of_purchases`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669)?;
    /// // At t = 0 it is P(alive at T); then the survival factor.
    /// let now = p.probability_alive(1, 30.43, 38.86)?;
    /// assert_eq!(p.probability_alive_at(1, 30.43, 38.86, 0.0)?, now);
    /// let want = now * ((11.669 + 38.86) / (11.669 + 38.86 + 52.0_f64)).powf(0.606);
    /// assert!((p.probability_alive_at(1, 30.43, 38.86, 52.0)? - want).abs() < 1e-15);
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
        check_non_negative(horizon, "horizon")?;
        let alive = self.p_alive(f64::from(frequency), recency, age)?;
        let beta = self.beta + age;
        Ok(alive * (-self.s * (horizon / beta).ln_1p()).exp())
    }

    /// DERT, the discounted expected residual transactions of a customer
    /// (x, t_x, T) at the continuous discount rate `discount_rate` per time
    /// unit (Fader, Hardie & Lee 2005, "RFM and CLV", the DERT expression
    /// with Ψ(s, s; δ(β + T)); evaluated as in
    /// [`crate::models::distribution`]).
    ///
    /// # Errors
    /// As [`ParetoNbdParams::probability_alive`];
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// `discount_rate` unless it is finite and positive.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::pareto_nbd::ParetoNbdParams;
    /// // s = 1, β + T = 1/δ: E[1/(μ + δ)] = (1/δ) e Γ(0, 1) = 0.596347.../δ
    /// // (e E₁(1), A&S 5.1.1); x = T = 0, so DERT = r/α × that.
    /// let p = ParetoNbdParams::new(1.0, 2.0, 1.0, 10.0)?;
    /// let want = 0.5 * 0.596_347_362_323_194_1 * 10.0;
    /// assert!((p.dert(0, 0.0, 0.0, 0.1)? - want).abs() < 1e-12);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn dert(&self, frequency: u32, recency: f64, age: f64, discount_rate: f64) -> Result<f64> {
        check_customer(frequency, recency, age)?;
        let x = f64::from(frequency);
        let alive = self.p_alive(x, recency, age)?;
        let Self { r, alpha, s, beta } = *self;
        crate::models::distribution::pareto_dert(
            discount_rate,
            alive,
            (r + x, alpha + age, s, beta + age),
        )
    }
}

/// [1 − e^{−(s−1)ℓ}]/(s − 1), ℓ = ln((β + T + t)/(β + T)) ≥ 0, with its
/// limit ℓ at s = 1 (expm1 keeps s near 1 accurate).
/// 1 / (1 + e^l), without overflow for large l.
fn inverse_one_plus_exp(l: f64) -> f64 {
    if l > 0.0 {
        let e = (-l).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + l.exp())
    }
}

fn bracket(s: f64, l: f64) -> f64 {
    let d = s - 1.0;
    if d == 0.0 {
        l
    } else {
        -(-d * l).exp_m1() / d
    }
}

fn not_converged() -> crate::Error {
    invalid_arg(
        "params",
        "the hypergeometric series of A₀ did not converge (α/β or β/α too extreme)",
    )
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

/// The distinct (x, t_x) and (x, T) pairs of a data set, its distinct
/// (x, t_x, T) rows with their summed weights, and each distinct row's
/// index into the pairs: a fit evaluates ln G once per distinct pair, not
/// twice per row, and the rest of a row's likelihood once per distinct row
/// (on Hardie's CDNOW summary, 586 and 464 pairs and 1,016 distinct rows
/// for 2,357 rows: the 1,411 customers without repeat purchases share
/// t_x = 0 and differ only in T). Built once per fit.
struct GTables {
    /// The (x, t_x) pairs, then from `ages_from` on the (x, T) pairs.
    pairs: Vec<(f64, f64)>,
    ages_from: usize,
    rows: Vec<Row>,
}

/// A distinct (x, t_x, T) of the data, its total weight and its pairs
/// (indices into [`GTables::pairs`]).
struct Row {
    x: f64,
    t_x: f64,
    t: f64,
    weight: f64,
    t_x_pair: u32,
    t_pair: u32,
}

impl GTables {
    fn new(d: &RepeatData) -> Self {
        use std::collections::HashMap;
        // ok: fewer distinct values than rows, and RepeatData has < 2^32 rows
        let index = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let pairs =
            |seen: &mut HashMap<(u64, u64), u32>, values: &mut Vec<(f64, f64)>, x: f64, u: f64| {
                *seen.entry((x.to_bits(), u.to_bits())).or_insert_with(|| {
                    values.push((x, u));
                    index(values.len() - 1)
                })
            };
        let (mut at_t_x, mut at_t) = (Vec::new(), Vec::new());
        let (mut seen_t_x, mut seen_t) = (HashMap::new(), HashMap::new());
        let mut seen_rows = HashMap::<(u64, u64, u64), u32>::new();
        let mut rows: Vec<Row> = Vec::new();
        for i in 0..d.len() {
            let (x, t_x, t, w) = (d.x[i], d.t_x[i], d.t[i], d.weight[i]);
            let t_x_pair = pairs(&mut seen_t_x, &mut at_t_x, x, t_x);
            let t_pair = pairs(&mut seen_t, &mut at_t, x, t);
            let k = *seen_rows
                .entry((x.to_bits(), t_x.to_bits(), t.to_bits()))
                .or_insert_with(|| {
                    rows.push(Row {
                        x,
                        t_x,
                        t,
                        weight: 0.0,
                        t_x_pair,
                        t_pair,
                    });
                    index(rows.len() - 1)
                });
            rows[k as usize].weight += w;
        }
        let ages_from = at_t_x.len();
        for row in &mut rows {
            row.t_pair += index(ages_from);
        }
        at_t_x.extend(at_t);
        Self {
            pairs: at_t_x,
            ages_from,
            rows,
        }
    }
}

/// Runs `f` on the chunks of 256 of `0..n` (on rayon's pool with the
/// `parallel` feature) and returns the results in chunk order, so sums over
/// them do not depend on the scheduling.
fn chunked<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> T + Sync) -> Vec<T> {
    const CHUNK: usize = 256;
    let ranges: Vec<_> = (0..n.div_ceil(CHUNK))
        .map(|c| c * CHUNK..((c + 1) * CHUNK).min(n))
        .collect();
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        ranges.into_par_iter().map(&f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        ranges.into_iter().map(f).collect()
    }
}

/// `f` at every pair, in order; `None` when it is `None` anywhere (a
/// series that does not converge).
fn at_pairs<T: Send>(
    pairs: &[(f64, f64)],
    ages_from: usize,
    f: impl Fn(f64, f64, bool) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let parts = chunked(pairs.len(), |range| {
        let start = range.start;
        (start..)
            .zip(&pairs[range])
            .map(|(i, &(x, u))| f(x, u, i >= ages_from))
            .collect::<Option<Vec<_>>>()
    });
    let mut all = Vec::with_capacity(pairs.len());
    for part in parts {
        all.extend(part?);
    }
    Some(all)
}

/// What the rows with one (x, T) share in an evaluation; for an (x, t_x)
/// pair only `g`, ln G(t_x), is filled.
#[derive(Default)]
struct AtAge {
    /// ln(α + T), ln(β + T), 1/(α + T), 1/(β + T).
    lat: f64,
    lbt: f64,
    inv_at: f64,
    inv_bt: f64,
    /// ln P = −(r + x) ln(α + T) − s ln(β + T) (see [`ln_l_with`]).
    ln_p: f64,
    /// ln(r + s + x), and ln Γ(r + x) − ln Γ(r) with ψ(r + x) − ψ(r).
    ln_rsx: f64,
    lg: f64,
    dg: f64,
    /// ln G(T) (ln G(t_x) for a (x, t_x) pair) and its gradient; `None`
    /// when its series is slow and the rows take the integral instead.
    g: Option<LnG>,
}

/// LL and its gradient in (r, α, s, β); `None` when a row can be evaluated
/// neither by its series nor by the integral of the module doc.
///
/// The same sum as [`ln_l_with`] row by row (the tests check they agree),
/// arranged for speed: ln G, the logarithms of α + T and β + T and the
/// ln Γ of x are computed once per distinct (x, t_x) or (x, T) pair, the
/// rest once per distinct (x, t_x, T) row (weighted by its rows' total
/// weight), at four transcendental functions a row. With the `parallel`
/// feature, pairs and rows are processed in fixed chunks of 256 on rayon's pool and
/// the chunk sums added in order, so the result does not depend on the
/// scheduling.
fn ll_and_gradient(
    p: &ParetoNbdParams,
    d: &RepeatData,
    tables: &GTables,
) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    if !(r <= SHAPE_LIMIT && s <= SHAPE_LIMIT) {
        return None;
    }
    let shared = Shared::new(p, d);
    let (ln_alpha, ln_beta, ln_s) = (alpha.ln(), beta.ln(), s.ln());
    // One parallel pass over all pairs: ln G at t_x, and at T with the rest
    // of what a row needs (an evaluation is short, and each pass has its
    // cost on the thread pool).
    let at_pair = at_pairs(&tables.pairs, tables.ages_from, |x, t, at_age| {
        let g = ln_g(p, x, t, true);
        if !at_age {
            return Some(AtAge {
                g,
                ..AtAge::default()
            });
        }
        let (lat, lbt) = ((alpha + t).ln(), (beta + t).ln());
        let (lg, dg) = shared.gammas(r, x);
        Some(AtAge {
            lat,
            lbt,
            inv_at: 1.0 / (alpha + t),
            inv_bt: 1.0 / (beta + t),
            ln_p: -(r + x) * lat - s * lbt,
            ln_rsx: (r + s + x).ln(),
            lg,
            dg,
            g,
        })
    })?;
    let parts = chunked(tables.rows.len(), |range| {
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for row in &tables.rows[range] {
            let (x, w) = (row.x, row.weight);
            let k = &at_pair[row.t_pair as usize];
            let ln_c = k.lg + r * ln_alpha + s * ln_beta;
            let d_c = [k.dg + ln_alpha, r / alpha, ln_beta, s / beta];
            let d_p = [-k.lat, -(r + x) * k.inv_at, -k.lbt, -s * k.inv_bt];
            // ln(s/(r + s + x) A₀) (second_term) and its gradient; `None`
            // when A₀ = 0 (t_x = T, or q = G(T)/G(t_x) = 1 at rounding):
            // then L = C P.
            let a0 = if row.t_x >= row.t {
                None
            } else if let (Some((g1, d1)), Some((g2, d2))) = (at_pair[row.t_x_pair as usize].g, k.g)
            {
                // q = e^Δ < 1.
                let delta = g2 - g1;
                (delta < 0.0).then(|| {
                    let e = delta.exp_m1();
                    let (q, one_minus_q) = (1.0 + e, -e);
                    let inv_rsx = 1.0 / (r + s + x);
                    let mut d_w = [0.0; 4];
                    for j in 0..4 {
                        d_w[j] = (d1[j] - q * d2[j]) / one_minus_q;
                    }
                    d_w[0] -= inv_rsx;
                    d_w[2] += 1.0 / s - inv_rsx;
                    (ln_s - k.ln_rsx + g1 + one_minus_q.ln(), d_w)
                })
            } else {
                // A slow series: the integral of the module doc.
                Some(ln_w_integral(p, x, row.t_x, row.t)?)
            };
            let Some((ln_w, d_w)) = a0 else {
                ll += w * (ln_c + k.ln_p);
                for j in 0..4 {
                    g[j] += w * (d_c[j] + d_p[j]);
                }
                continue;
            };
            // ln(P + w A₀) and the share of the A₀ term, from one exp.
            let u = (-(k.ln_p - ln_w).abs()).exp();
            let (m, sh) = if ln_w >= k.ln_p {
                (ln_w, 1.0 / (1.0 + u))
            } else {
                (k.ln_p, u / (1.0 + u))
            };
            ll += w * (ln_c + m + u.ln_1p());
            for j in 0..4 {
                g[j] += w * (d_c[j] + (1.0 - sh) * d_p[j] + sh * d_w[j]);
            }
        }
        Some((ll, g))
    });
    let (mut ll, mut g) = (0.0, [0.0; 4]);
    for part in parts {
        let (l, gi) = part?;
        ll += l;
        for j in 0..4 {
            g[j] += gi[j];
        }
    }
    Some((ll, g))
}

/// The log-likelihood and its gradient at (r, α, s, β) on `data`: what
/// [`fit_pareto_nbd`] maximises, and what the covariance of
/// [`crate::models::interval`] differentiates.
pub(crate) fn log_likelihood_fn(
    data: &RepeatData,
) -> impl Fn(&[f64]) -> Option<(f64, Vec<f64>)> + '_ {
    let tables = GTables::new(data);
    move |v: &[f64]| {
        let p = ParetoNbdParams {
            r: v[0],
            alpha: v[1],
            s: v[2],
            beta: v[3],
        };
        let (ll, g) = ll_and_gradient(&p, data, &tables)?;
        Some((ll, g.to_vec()))
    }
}

/// Fit the Pareto/NBD model by maximum likelihood, with the analytic
/// gradient (the derivatives of ₂F₁ in its parameters summed term by term).
///
/// The search runs on the logarithms of (r, α, s, β), from r = s = 1 and
/// α = β = the mean age, then from other starts if that one does not
/// converge; see [`crate::optim`].
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a negative
/// or non-finite `options.penalizer`, or when no start can be evaluated. A
/// fit that does not converge is not an error: see [`Fit::status`].
///
/// # Examples
/// ```
/// use retentionkit::models::{pareto_nbd::{fit_pareto_nbd, ParetoNbdParams}, RepeatData};
/// use retentionkit::optim::FitOptions;
/// // Eight groups of customers: (x, t_x, T) in weeks, with counts.
/// let data = RepeatData::new(
///     &[0, 0, 1, 1, 2, 3, 5, 7],
///     &[0.0, 0.0, 10.0, 30.0, 20.0, 35.0, 36.0, 38.0],
///     &[39.0, 32.0, 39.0, 35.0, 39.0, 39.0, 38.0, 39.0],
///     Some(&[300, 200, 60, 50, 30, 20, 10, 5]),
/// )?;
/// let fit = fit_pareto_nbd(&data, &FitOptions::default())?;
/// assert!(fit.log_likelihood.is_finite());
/// // The fit is at least as likely as any typed-in parameters.
/// let other = ParetoNbdParams::new(1.0, 5.0, 1.0, 20.0)?;
/// assert!(fit.log_likelihood >= other.log_likelihood(&data));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn fit_pareto_nbd(data: &RepeatData, options: &FitOptions) -> Result<Fit<ParetoNbdParams>> {
    let from = |v: &[f64]| ParetoNbdParams {
        r: v[0],
        alpha: v[1],
        s: v[2],
        beta: v[3],
    };
    let tables = GTables::new(data);
    let ll = |v: &[f64]| {
        let (ll, g) = ll_and_gradient(&from(v), data, &tables)?;
        Some((ll, g.to_vec()))
    };
    let n = data.customers();
    // Large data: first a fit on a sample of the rows (the estimates do
    // not change, see `optim::fit_positive_warm`).
    let sample = data.start_sample();
    let sample_ll = sample.as_ref().map(log_likelihood_fn);
    let warm = sample
        .as_ref()
        .zip(sample_ll.as_ref())
        .map(|(d, ll)| (ll as LogLikelihood, d.customers(), starts(d).to_vec()));
    let f = fit_positive_warm(&ll, n, &starts(data), options, warm)?;
    let params = from(&f.params);
    Ok(Fit {
        params,
        standard_errors: f.standard_errors.as_deref().map(from),
        // The table-driven sum at the estimates (equal to `log_likelihood`,
        // which evaluates ln G twice per row instead of once per pair).
        log_likelihood: ll_and_gradient(&params, data, &tables)
            .map_or_else(|| params.log_likelihood(data), |(ll, _)| ll),
        parameters: f.params.len(),
        observations: f.customers,
        iterations: f.iterations,
        status: status(f.status, &params, data),
    })
}

/// Starting values of (r, α, s, β) for the Pareto/NBD fit, α and β on the
/// data's time scale.
pub(crate) fn starts(data: &RepeatData) -> [Vec<f64>; 4] {
    let t = data.mean_age();
    [
        [1.0, t, 1.0, t],
        [0.1, 1.0, 0.1, 1.0],
        [1.0, 1.0, 1.0, 1.0],
        [0.5, (t / 10.0).max(1e-3), 0.5, (t / 10.0).max(1e-3)],
    ]
    .map(|s| s.to_vec())
}

/// The status of a fit that ended with `search` at `params`
/// ([`boundary_status`] with r and s as shapes, α and β as scales of the
/// mean age).
pub(crate) fn status(search: FitStatus, params: &ParetoNbdParams, data: &RepeatData) -> FitStatus {
    boundary_status(
        search,
        &[params.r, params.s],
        &[
            (params.alpha, data.mean_age()),
            (params.beta, data.mean_age()),
        ],
    )
}

#[cfg(test)]
mod tests;
